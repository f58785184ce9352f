export { applyCommand, applyManifests } from './apply-command.js';
