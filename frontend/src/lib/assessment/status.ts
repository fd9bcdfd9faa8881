/** Where a learner stands on an assignment, and the tone of each state and gradebook cell. */
import { instant, personalDue } from './dates';
import type { Assignment, CellStatus } from './types';

/**
 * One assignment as its learner sees it: `graded` (grade released), `late` or
 * `submitted` (handed in), `todo` (open, before the due date), `overdue` (late work is
 * still taken), `not_open` (before it opens), `missed` (nothing handed in, and it is
 * closed).
 */
export type LearnerStatus = 'graded' | 'submitted' | 'late' | 'todo' | 'overdue' | 'not_open' | 'missed';

export function learnerStatus(
  assignment: Pick<Assignment, 'due_at' | 'opens_at' | 'mine'>,
  now: number = Date.now(),
): LearnerStatus {
  const mine = assignment.mine;
  if (mine?.grade) return 'graded';
  const last = mine?.attempts[0];
  if (last) return last.late ? 'late' : 'submitted';
  if (assignment.opens_at && now < instant(assignment.opens_at)) return 'not_open';
  if (mine && !mine.can_submit) return 'missed';
  return now > instant(personalDue(assignment)) ? 'overdue' : 'todo';
}

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'off';

export function learnerStatusTone(status: LearnerStatus): Tone {
  switch (status) {
    case 'graded':
    case 'submitted':
      return 'ok';
    case 'late':
    case 'overdue':
      return 'warn';
    case 'todo':
      return 'info';
    case 'not_open':
      return 'off';
    case 'missed':
      return 'bad';
  }
}

export function cellTone(status: CellStatus): Tone {
  switch (status) {
    case 'graded':
      return 'ok';
    case 'pending':
      return 'info';
    case 'open':
    case 'excluded':
      return 'off';
    case 'missing':
      return 'bad';
  }
}
