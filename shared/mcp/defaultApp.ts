// The process's app, built once from the environment's configuration: what the Functions triggers serve.
import { config } from '../config/config.js';
import { createApp, type App } from './createApp.js';

export const app: App = createApp(config);
