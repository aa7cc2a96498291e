// Each user's mailbox, calendar, drive, contacts, chats, teams, tasks and notebooks in the local Graph, kept strictly apart.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { SampleUser } from '../sampleUsers.js';

export type WithId<T> = T & { id: string };

/** A drive item with its content (for files) and its parent, as the local drive stores it. */
export type StoredDriveItem = WithId<MicrosoftGraph.DriveItem> & { parentId: string | null; content?: Buffer };

/** A Teams chat message, or a channel post with its `replies`. */
export type StoredChatMessage = WithId<MicrosoftGraph.ChatMessage>;

/** A chat as each member stores it: sample users in one chat hold copies with the same ids, kept in step on writes. */
export type StoredChat = Omit<WithId<MicrosoftGraph.Chat>, 'members' | 'messages'> & { members: WithId<MicrosoftGraph.AadUserConversationMember>[]; messages: StoredChatMessage[] };

/** A channel post with its replies. */
export type StoredPost = Omit<StoredChatMessage, 'replies'> & { replies: StoredChatMessage[] };

export type StoredChannel = Omit<WithId<MicrosoftGraph.Channel>, 'messages'> & { posts: StoredPost[] };

/** A team as each member stores it (copies, like chats). */
export type StoredTeam = Omit<WithId<MicrosoftGraph.Team>, 'channels'> & { channels: StoredChannel[] };

export type StoredTaskList = Omit<WithId<MicrosoftGraph.TodoTaskList>, 'tasks'> & { tasks: WithId<MicrosoftGraph.TodoTask>[] };

export type StoredPage = WithId<MicrosoftGraph.OnenotePage> & { html: string };
export type StoredSection = Omit<WithId<MicrosoftGraph.OnenoteSection>, 'pages'> & { pages: StoredPage[] };
export type StoredNotebook = Omit<WithId<MicrosoftGraph.Notebook>, 'sections' | 'sectionGroups'> & {
  sections: StoredSection[];
  sectionGroups: (Omit<WithId<MicrosoftGraph.SectionGroup>, 'sections'> & { sections: StoredSection[] })[];
};

export interface UserData {
  readonly user: SampleUser;
  profile: WithId<MicrosoftGraph.User>;
  events: WithId<MicrosoftGraph.Event>[];
  messages: WithId<MicrosoftGraph.Message>[];
  mailFolders: WithId<MicrosoftGraph.MailFolder>[];
  /** Id of the root folder is `root`. */
  driveItems: StoredDriveItem[];
  people: WithId<MicrosoftGraph.Person>[];
  /** Sites this user can see. */
  sites: WithId<MicrosoftGraph.Site>[];
  /** Teams chats this user is a member of. */
  chats: StoredChat[];
  /** Teams this user is a direct member of. */
  teams: StoredTeam[];
  /** Microsoft To Do lists. */
  taskLists: StoredTaskList[];
  /** OneNote notebooks. */
  notebooks: StoredNotebook[];
}

export function emptyUserData(user: SampleUser): UserData {
  const [given, surname] = user.name.split(' ');
  return {
    user,
    profile: {
      id: user.oid,
      displayName: user.name,
      givenName: given ?? null,
      surname: surname ?? null,
      userPrincipalName: user.upn,
      mail: user.upn,
      jobTitle: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
      mobilePhone: null,
      businessPhones: [],
    },
    events: [],
    messages: [],
    mailFolders: [],
    driveItems: [{ id: 'root', name: 'root', root: {}, folder: { childCount: 0 }, parentId: null }],
    people: [],
    sites: [],
    chats: [],
    teams: [],
    taskLists: [],
    notebooks: [],
  };
}
