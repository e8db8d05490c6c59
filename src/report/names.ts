// How checks and cells are named for people, the same in JUnit, Markdown and HTML.
import type { Verdict } from '../model.ts';
import type { ReportCheck } from './report-model.ts';
import { CROSS_CUTTING_ROW } from './build.ts';

const SEP = ' › ';

/** `product › route [verdict] › title`; `cross-cutting › route › title`; `product › checklist › title`; `product › finding › title`. */
export function checkName(check: ReportCheck): string {
  const owner = check.product ?? CROSS_CUTTING_ROW;
  let middle: string;
  if (check.group === 'validation') middle = 'checklist';
  else if (check.group === 'finding') middle = check.route ? `${check.route} [finding]` : 'finding';
  else if (check.verdict) middle = `${check.route ?? '?'} [${check.verdict}]`;
  else middle = check.route ?? check.group;
  return [owner, middle, check.title].join(SEP);
}

export function verdictWords(verdict: Verdict | undefined): string {
  switch (verdict) {
    case 'native':
      return 'native';
    case 'gt_extension':
      return 'GT extension';
    case 'not_supported':
      return 'not supported';
    default:
      return '';
  }
}
