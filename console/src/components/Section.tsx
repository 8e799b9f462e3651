import { type ReactNode, useState } from 'react';

// Wide screens open every section, as one page; narrow ones start closed, so the page is a list of headings.
const WIDE = '(min-width: 700px)';

/** A collapsible part of a page (a native <details>: keyboard and screen readers know it as it is). */
export function Section({ id, title, tone, children }: { id: string; title: string; tone?: 'danger'; children: ReactNode }) {
  const [open, setOpen] = useState(() => window.matchMedia(WIDE).matches);
  return (
    <details className={tone ? `panel section ${tone}` : 'panel section'} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2 id={`${id}-heading`}>{title}</h2>
      </summary>
      <section aria-labelledby={`${id}-heading`}>{children}</section>
    </details>
  );
}
