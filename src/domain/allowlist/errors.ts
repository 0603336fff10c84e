import { ConflictError } from '../errors';

/** The dynamic security group is full (EC2 rules-per-group quota): a 409 the caller can act on. */
export class SecurityGroupFullError extends ConflictError {
  constructor() {
    super('the dynamic security group has reached its rule limit: revoke an entry (DELETE /admin/allowlist/{ip}) or raise the quota');
  }
}

/** The scheduled expiry could not revoke every expired entry; the next run retries the rest. */
export class AllowlistExpiryIncompleteError extends Error {
  constructor(readonly failed: number, readonly expired: number) {
    super(`expiry revoked ${expired} entries; ${failed} failed and will be retried`);
    this.name = 'AllowlistExpiryIncompleteError';
  }
}
