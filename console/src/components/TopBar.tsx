import type { Route } from '../route';

const LINKS = [
  { href: '#/', label: 'Keys', screens: ['keys', 'key'], admin: false },
  { href: '#/users', label: 'Users', screens: ['users', 'user'], admin: true },
  { href: '#/audit', label: 'Audit log', screens: ['audit'], admin: false },
] as const;

export function TopBar({ email, admin, route, onSignOut }: { email: string; admin: boolean; route: Route; onSignOut: () => void }) {
  return (
    <header className="top">
      <a className="brand" href="#/">
        Keygate console
      </a>
      <nav aria-label="Console">
        <ul>
          {LINKS.filter((link) => admin || !link.admin).map((link) => (
            <li key={link.href}>
              <a href={link.href} aria-current={(link.screens as readonly string[]).includes(route.screen) ? 'page' : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <span className="who">
        <span className="visually-hidden">Signed in as </span>
        {email}
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
