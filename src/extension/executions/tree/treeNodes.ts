import type { GroupBy } from '../../shared/settings';

/** A workspace folder (shown only when several folders are open). */
export class FolderNode {
  readonly kind = 'folder';
  constructor(readonly folderKey: string) {}
}

/** A group of executions: one scenario, one error type or one status. */
export class GroupNode {
  readonly kind = 'group';
  constructor(
    readonly folderKey: string,
    readonly groupBy: GroupBy,
    readonly key: string,
  ) {}
}

/** One incomplete execution (looked up by id in its folder's records). */
export class ExecutionNode {
  readonly kind = 'execution';
  constructor(
    readonly folderKey: string,
    readonly groupBy: GroupBy,
    readonly id: string,
  ) {}
}

export type ExecutionsTreeNode = FolderNode | GroupNode | ExecutionNode;
