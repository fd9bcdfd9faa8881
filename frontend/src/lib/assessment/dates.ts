/** When work is due and when it stops being taken, for one person. */
import type { Assignment } from './types';

/** A timestamp as milliseconds; timestamps without a zone are UTC. */
export function instant(timestamp: string): number {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`).getTime();
}

/** The later of two timestamps. */
function later(a: string, b: string): string {
  return instant(a) >= instant(b) ? a : b;
}

/**
 * When work stops being taken, for a person whose due date is `due`: the cut-off (never
 * before their due date), the due date itself under `refuse` without one, else never.
 */
export function closesAt(assignment: Pick<Assignment, 'late_policy' | 'cutoff_at'>, due: string): string | null {
  if (assignment.cutoff_at) return later(assignment.cutoff_at, due);
  return assignment.late_policy === 'refuse' ? due : null;
}

/** The learner's own due date: an extension's, else the assignment's. */
export function personalDue(assignment: Pick<Assignment, 'due_at' | 'mine'>): string {
  return assignment.mine?.due_at ?? assignment.due_at;
}
