/** etcd could not be used: unreachable, refusing the credentials, or answering with an error. */
export class EtcdUnavailableError extends Error {
  constructor(readonly endpoints: readonly string[], readonly detail: string, options?: ErrorOptions) {
    super(`etcd at ${endpoints.join(',')}: ${detail}`, options);
    this.name = new.target.name;
  }
}

/** The prefix holds keys polyfleet did not write: never read them as an empty store or write among them. */
export class ForeignDataError extends Error {
  constructor(readonly endpoints: readonly string[], readonly prefix: string, readonly sample: string) {
    super(
      `etcd at ${endpoints.join(',')}: the prefix ${JSON.stringify(prefix)} holds data that is not a polyfleet store ` +
        `(e.g. key ${JSON.stringify(sample)}); choose another prefix with --etcd-prefix, or empty this one`,
    );
    this.name = new.target.name;
  }
}

/** An import into the prefix started and did not finish: its objects may be partial, so no process may act on them. */
export class UnfinishedImportError extends Error {
  constructor(readonly endpoints: readonly string[], readonly prefix: string) {
    super(
      `etcd at ${endpoints.join(',')}: an import into the prefix ${JSON.stringify(prefix)} did not finish, so its objects may be incomplete; ` +
        'run the same `polyfleet state import` again to finish it (or empty the prefix)',
    );
    this.name = new.target.name;
  }
}
