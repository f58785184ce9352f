/** Condition types and reasons, one place, so controllers and tests spell them alike. */
export const ConditionType = {
  Ready: 'Ready',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
  BudgetExceeded: 'BudgetExceeded',
  InvalidSpec: 'InvalidSpec',
  NoOfferings: 'NoOfferings',
  /** Machine: the provider accepted the create (True), or why not yet (False). */
  Launched: 'Launched',
  /** Machine, while deleting: the instance is not yet known terminated, and why. */
  InstanceTerminated: 'InstanceTerminated',
  /** Machine: its Strategy and provider account can be found (False: what is missing; the instance is kept). */
  ProviderAccountFound: 'ProviderAccountFound',
  /** NodePool: failed Machines are not being replaced, because too many failed within the window. */
  RemediationPaused: 'RemediationPaused',
  /** Strategy: every provider account's catalogue could be read (False: which not, and whether waiting can help). */
  AccountsReadable: 'AccountsReadable',
  /** Strategy: some offering's price comes from a shipped table, or was read from the cloud longer ago than the limit. */
  PricesStale: 'PricesStale',
  /** HostGroup: a child, host or other object it names does not exist (True: which). */
  ReferenceNotFound: 'ReferenceNotFound',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  StrategyNotFound: 'StrategyNotFound',
  PlacementRuleNotFound: 'PlacementRuleNotFound',
  NoOfferings: 'NoOfferings',
  OfferingsResolved: 'OfferingsResolved',
  Compiled: 'Compiled',
  ConstraintError: 'ConstraintError',
  ScalingUp: 'ScalingUp',
  ScalingDown: 'ScalingDown',
  AllReady: 'AllReady',
  MachinesNotReady: 'MachinesNotReady',
  WithinBudget: 'WithinBudget',
  BudgetExceeded: 'BudgetExceeded',
  Paused: 'Paused',
  DryRun: 'DryRun',
  // Strategy: AccountsReadable. False reasons in this order: one that may pass wins.
  AllAccountsRead: 'AllAccountsRead',
  AccountsUnreachable: 'AccountsUnreachable',
  CredentialsFailed: 'CredentialsFailed',
  AccountsMisconfigured: 'AccountsMisconfigured',
  // Strategy: PricesStale.
  PricesCurrent: 'PricesCurrent',
  TablePrices: 'TablePrices',
  PricesOutdated: 'PricesOutdated',
  // NodePool.
  SpecValid: 'SpecValid',
  UnsupportedLevel: 'UnsupportedLevel',
  Stable: 'Stable',
  Replacing: 'Replacing',
  AsExpected: 'AsExpected',
  Unplaceable: 'Unplaceable',
  MachinesFailed: 'MachinesFailed',
  ScalingFailed: 'ScalingFailed',
  MachinesUnreadable: 'MachinesUnreadable',
  // Machine: launch.
  InstanceCreated: 'InstanceCreated',
  NotLaunched: 'NotLaunched',
  Throttled: 'Throttled',
  InsufficientCapacity: 'InsufficientCapacity',
  QuotaExceeded: 'QuotaExceeded',
  AuthFailed: 'AuthFailed',
  InvalidRequest: 'InvalidRequest',
  ImageNotFound: 'ImageNotFound',
  ProviderAccountNotFound: 'ProviderAccountNotFound',
  // Machine: registration and liveness.
  InstancePending: 'InstancePending',
  InstanceRunning: 'InstanceRunning',
  InstanceFailed: 'InstanceFailed',
  InstanceGone: 'InstanceGone',
  /** The cloud reclaimed the Machine's spot instance. */
  SpotReclaimed: 'SpotReclaimed',
  ReadyTimeout: 'ReadyTimeout',
  InstanceStopped: 'InstanceStopped',
  InstanceNotFound: 'InstanceNotFound',
  // Machine: its account.
  AccountFound: 'AccountFound',
  ProviderAccountRemoved: 'ProviderAccountRemoved',
  // NodePool: remediation.
  TooManyFailed: 'TooManyFailed',
  WithinLimit: 'WithinLimit',
  // Machine: termination.
  Terminating: 'Terminating',
  DeleteRequested: 'DeleteRequested',
  // HostGroup.
  HostsMatched: 'HostsMatched',
  ChildrenCycle: 'ChildrenCycle',
  ReferenceNotFound: 'ReferenceNotFound',
  ReferencesFound: 'ReferencesFound',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
