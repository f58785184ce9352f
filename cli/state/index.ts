export { stateCommand } from './state-command.js';
