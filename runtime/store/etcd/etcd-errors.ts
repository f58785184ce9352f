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
