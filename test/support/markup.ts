/**
 * What GitHub would make of rendered Markdown (the job summary, the pull-request comment): raw
 * HTML beyond our own tags, @mentions and #references outside code blocks.
 */

/** The entities escapeText writes; GitHub shows each as its character. */
const ENTITY = /&(amp|lt|gt|quot|#\d+);/g;

/** Our own tags; provider text may bring no other. */
const OUR_TAGS =
  /^<(\/?(b|code|details|summary|pre|sub|br)|a href="[^"<>]*"|\/a|!-- fine-tune-watch jobs?=[^\s<>]* --)>/;

/** The rendered Markdown minus fenced blocks (GitHub shows their content as text), with each block's body. */
export function splitFences(markdown: string): { prose: string[]; fenced: string[] } {
  const prose: string[] = [];
  const fenced: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    if (fence === null) {
      const open = /^(`{3,})/.exec(line);
      if (open) fence = open[1] ?? null;
      else prose.push(line);
    } else if (line.trim() === fence) {
      fence = null;
    } else {
      fenced.push(line);
    }
  }
  return { prose, fenced };
}

export function markupViolations(markdown: string): string[] {
  const problems: string[] = [];
  const { prose } = splitFences(markdown);
  for (const line of prose) {
    for (const match of line.matchAll(/</g)) {
      if (!OUR_TAGS.test(line.slice(match.index)))
        problems.push(`raw HTML: ${line.slice(match.index, match.index + 40)}`);
    }
    // Entities (and the zero-width space that breaks a mention) are not text GitHub links.
    const text = line.replaceAll(/[@#]&#8203;/g, ' ').replace(ENTITY, ' ');
    if (/@\w/.test(text)) problems.push(`an @mention: ${line}`);
    if (/#\w/.test(text)) problems.push(`a #reference: ${line}`);
  }
  return problems;
}
