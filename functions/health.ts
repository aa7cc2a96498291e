// GET /healthz: liveness, no auth, nothing secret.
import { register } from './register.js';

export const health = register('health');
