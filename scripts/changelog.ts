/**
 * The body of one version's section in a Keep a Changelog file: the lines after
 * `## [1.2.3]` (a date may follow) up to the next `## ` heading or link definitions at the end.
 * Null when there is no such section, which stops a release without notes.
 */
export function releaseNotes(changelog: string, version: string): string | null {
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return null;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ') || /^\[[^\]]+\]: /.test(line)) break;
    body.push(line);
  }
  const text = body.join('\n').trim();
  return text === '' ? null : `${text}\n`;
}
