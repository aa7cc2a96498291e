// azd postprovision hook: holds `azd up` back until the function app identity's new blob role has had time to take effect.
//
// Flex Consumption writes the deployment package to its blob container as the app's managed identity. Right after
// the first provisioning that identity's Storage Blob Data Owner assignment may not have reached the storage service
// yet, and `azd deploy` fails with 403 (InaccessibleStorageException). Nothing outside the app can act as that identity
// to test its access, so this waits until the assignment is ROLE_PROPAGATION_WAIT_SECONDS old: once, right after the
// assignment is created; later provisions find it older and go straight on.

const ASSIGNED_AT = 'DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT';
const WAIT_SETTING = 'ROLE_PROPAGATION_WAIT_SECONDS';
const DEFAULT_WAIT_SECONDS = 180;
const MAX_WAIT_SECONDS = 1800;

function fail(message) {
  console.error(`postprovision: ${message}`);
  process.exit(1);
}

const waitRaw = process.env[WAIT_SETTING];
const waitSeconds = waitRaw === undefined || waitRaw === '' ? DEFAULT_WAIT_SECONDS : Number(waitRaw);
if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
  fail(`${WAIT_SETTING} must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}, not "${waitRaw}"`);
}

const assignedAtRaw = process.env[ASSIGNED_AT];
if (assignedAtRaw === undefined || assignedAtRaw === '') {
  // `azd provision --preview` runs this hook too, before anything exists.
  console.log(`postprovision: no ${ASSIGNED_AT} in the azd environment yet; nothing to wait for.`);
  process.exit(0);
}
const assignedAt = Date.parse(assignedAtRaw);
if (Number.isNaN(assignedAt)) {
  // Not worth stopping a deployment for: at worst the first `azd deploy` meets the 403 this hook avoids.
  console.warn(`postprovision: ${ASSIGNED_AT}="${assignedAtRaw}" is not a time; not waiting.`);
  process.exit(0);
}

const remainingMs = assignedAt + waitSeconds * 1000 - Date.now();
if (remainingMs <= 0) {
  console.log(`postprovision: the function app identity's blob role is over ${waitSeconds} s old; nothing to wait for.`);
  process.exit(0);
}
console.log(`postprovision: waiting ${Math.ceil(remainingMs / 1000)} s for the function app identity's new blob role to take effect before deploying (${WAIT_SETTING}=${waitSeconds}).`);
await new Promise((resolve) => setTimeout(resolve, remainingMs));
console.log('postprovision: done waiting.');
