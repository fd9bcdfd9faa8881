/** Rubrics: what they are worth, a grade's levels, and the rubric as its editor holds it. */
import { parseDecimal, round2 } from './numbers';
import type { RubricCriterion, RubricInput } from './types';

/** What a rubric is worth: the best level of each criterion, added up. */
export function rubricMax(criteria: readonly { levels: readonly { points: number }[] }[]): number {
  return round2(criteria.reduce((sum, c) => sum + c.levels.reduce((best, l) => Math.max(best, l.points), 0), 0));
}

/**
 * The score of the levels chosen (criterion id → level id) and whether every
 * criterion has one.
 */
export function rubricScore(
  rubric: readonly RubricCriterion[],
  chosen: Readonly<Record<number, number | undefined>>,
): { total: number; complete: boolean } {
  let total = 0;
  let complete = true;
  for (const criterion of rubric) {
    const level = criterion.levels.find((l) => l.id === chosen[criterion.id]);
    if (level) total += level.points;
    else complete = false;
  }
  return { total: round2(total), complete };
}

/** A grade's levels (ids) as criterion id → level id. */
export function chosenLevels(rubric: readonly RubricCriterion[], levels: readonly number[]): Record<number, number> {
  const chosen: Record<number, number> = {};
  for (const criterion of rubric) {
    const level = criterion.levels.find((l) => levels.includes(l.id));
    if (level) chosen[criterion.id] = level.id;
  }
  return chosen;
}

/** A rubric as its editor holds it: points as typed. */
export interface RubricDraft {
  title: string;
  description: string;
  levels: { title: string; points: string }[];
}

export function rubricDraft(rubric: readonly RubricCriterion[]): RubricDraft[] {
  return rubric.map((c) => ({
    title: c.title,
    description: c.description,
    levels: c.levels.map((l) => ({ title: l.title, points: String(l.points) })),
  }));
}

/** The rubric draft's total so far (levels with unreadable points count nothing). */
export function draftTotal(draft: readonly RubricDraft[]): number {
  return rubricMax(draft.map((c) => ({ levels: c.levels.map((l) => ({ points: parseDecimal(l.points) ?? 0 })) })));
}

/** The body of `PUT /assignments/{id}/rubric`; `null` when a level's points are unreadable. */
export function rubricInput(draft: readonly RubricDraft[]): RubricInput | null {
  const criteria: RubricInput['criteria'] = [];
  for (const c of draft) {
    const levels = [];
    for (const l of c.levels) {
      const points = parseDecimal(l.points);
      if (points === null) return null;
      levels.push({ title: l.title.trim(), points });
    }
    criteria.push({ title: c.title.trim(), description: c.description.trim(), levels });
  }
  return { criteria };
}
