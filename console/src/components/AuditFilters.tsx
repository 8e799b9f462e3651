import { AUDIT_ACTIONS } from '../audit-format';

export interface AuditFilterValues {
  action: string;
  clientKeyId: string;
  userId: string;
}

interface Props {
  values: AuditFilterValues;
  onChange: (values: AuditFilterValues) => void;
  keys: ReadonlyArray<{ id: string; name: string; keyPrefix: string }>;
  /** Admins only: members see events about themselves alone. */
  users: ReadonlyArray<{ id: string; email: string }> | null;
}

/** Action, key and (for admins) user: each narrows the audit log. Choices, not free text, so no id is mistyped. */
export function AuditFilters({ values, onChange, keys, users }: Props) {
  return (
    <div className="filters" role="search" aria-label="Filter the audit log">
      <div className="filter">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={values.action} onChange={(e) => onChange({ ...values, action: e.target.value })}>
          <option value="">Any</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="audit-key">Key</label>
        <select id="audit-key" value={values.clientKeyId} onChange={(e) => onChange({ ...values, clientKeyId: e.target.value })}>
          <option value="">Any</option>
          {keys.map((key) => (
            <option key={key.id} value={key.id}>
              {key.name} ({key.keyPrefix})
            </option>
          ))}
        </select>
      </div>
      {users && (
        <div className="filter">
          <label htmlFor="audit-user">User</label>
          <select id="audit-user" value={values.userId} onChange={(e) => onChange({ ...values, userId: e.target.value })}>
            <option value="">Any</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {user.email}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
