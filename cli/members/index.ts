export { membersCommand, toMember, type Member } from './members-command.js';
