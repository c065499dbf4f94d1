// A figures command's record of one figure (panel) it wrote, shared by the figures writers: what goes into the
// manifest (id, files, meta) and the report entry with its caption.
import type { ReportOptions } from '../plots/report.ts';

export interface WrittenFigure {
  /** File stem, e.g. 'fig2a_J2'. */
  id: string;
  /** The paper's figure and panel ('2', 'a'), or the writer's own labels. */
  figure: string;
  panel?: string;
  title: string;
  svgFile: string;
  /** Every file of this figure (svg first). */
  files: string[];
  /** What is plotted and how to read it; without one the report names the paper's figure and the data files. */
  caption?: string;
  /** Anything worth recording in the manifest. */
  meta?: Record<string, unknown>;
}

/** The report's figure list: each with its caption, which ends by naming the files that hold its numbers. */
export function reportFigures(figures: readonly WrittenFigure[]): ReportOptions['figures'] {
  return figures.map(f => {
    const data = f.files.filter(x => x !== f.svgFile && !x.endsWith('.svg'));
    const where = `Paper Fig. ${f.figure}${f.panel ? ` (${f.panel})` : ''}.`;
    const files = data.length ? ` Data: ${data.join(', ')}.` : '';
    return { title: f.title, svgFile: f.svgFile, caption: `${f.caption ? `${f.caption} ` : ''}${where}${files}` };
  });
}
