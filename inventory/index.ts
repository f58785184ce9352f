export * from './ansible-list.js';
export * from './bundle.js';
export * from './bundle-writer.js';
export * from './formats.js';
export * from './group-name.js';
export * from './host-facts.js';
export * from './model.js';
export * from './variables.js';
