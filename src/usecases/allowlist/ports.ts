/**
 * Ports of the admin allowlist (docs/admin-allowlist.md). Adapters: src/adapters/allowlist/
 * (EC2 + SNS + Cognito in AWS; a DynamoDB-backed security group and a logging notifier locally).
 */
import type { AllowlistEntry } from '../../domain/allowlist/entry';
import type { IpFamily } from '../../domain/allowlist/ip';

export interface HostRule {
  cidr: string;
  family: IpFamily;
}

/** An ingress rule as the security group reports it. */
export interface GroupRule {
  cidr: string;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  description?: string;
}

export interface SecurityGroupGateway {
  /**
   * Allows TCP 443 from one host in the dynamic group. A rule that is already there is not an
   * error (`created: false`). A full group throws SecurityGroupFullError.
   */
  authorize(rule: HostRule & { description: string }): Promise<{ created: boolean }>;
  /** Removes the host's TCP 443 rule from the dynamic group; absent is not an error (`removed: false`). */
  revoke(rule: HostRule): Promise<{ removed: boolean }>;
  /** Ingress rules of the office (static) and dynamic groups. */
  list(): Promise<{ office: GroupRule[]; dynamic: GroupRule[] }>;
}

/** Who added which host, when, until when: one item per dynamic entry, keyed by CIDR. */
export interface AllowlistStore {
  /** Creates the entry; false when one already exists for this CIDR. */
  create(entry: AllowlistEntry): Promise<boolean>;
  get(cidr: string): Promise<AllowlistEntry | undefined>;
  list(): Promise<AllowlistEntry[]>;
  /** Deletes the entry; with `createdAt`, only that very entry (not a re-added one). False when absent. */
  remove(cidr: string, createdAt?: string): Promise<boolean>;
}

export type AuditAction = 'allowlist.add' | 'allowlist.revoke' | 'allowlist.expire';

export interface AuditRecord {
  action: AuditAction;
  at: Date;
  /** Cognito username of the admin, or "scheduler" for expiry. */
  actor: string;
  actorSub?: string;
  cidr: string;
  outcome: 'ok' | 'failed';
  detail?: Record<string, string | number | boolean>;
}

export interface AuditLog {
  record(r: AuditRecord): Promise<void>;
}

/** logged: the local stand-in wrote what it would send (no SMS). */
export type NotifyOutcome = 'sent' | 'no-phone' | 'failed' | 'logged';

/** Texts an admin (by Cognito username) about their own allowlist change. */
export interface AdminNotifier {
  notify(username: string, message: string): Promise<NotifyOutcome>;
}
