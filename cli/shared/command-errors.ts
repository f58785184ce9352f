import type { Resource } from '../../api/index.js';

// Errors of the shared command code, apart from that code, so that command-runner.ts, which every
// command loads, names them without loading the schemas and YAML that apply and manifests need.

/** A manifest that cannot be used; the message names the file, the document and the field. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** The object is being deleted: applying it again would be undone by its finalizers. */
export class BeingDeletedError extends Error {
  constructor(readonly object: Resource) {
    super(
      `${object.kind} "${object.metadata.name}" is being deleted (its finalizers are still running); ` +
        `wait for it to go (polyfleet delete ${object.kind.toLowerCase()} ${object.metadata.name} --wait) and apply again`,
    );
    this.name = 'BeingDeletedError';
  }
}
