import { useQuery } from '@apollo/client/react';
import { type ClientKeyStatus, UserListDocument } from '../generated/graphql';

/** Whose keys: the caller's ('me'), everyone's ('all', admins), or one user's id. */
export type OwnerFilter = 'me' | 'all' | string;

export interface KeyFilterValues {
  owner: OwnerFilter;
  status: ClientKeyStatus | '';
  search: string;
}

/** Owner (admins only), status and a search by name or prefix, above the key list. */
export function KeyFilters({ values, admin, onChange }: { values: KeyFilterValues; admin: boolean; onChange: (values: KeyFilterValues) => void }) {
  const users = useQuery(UserListDocument, { variables: { first: 100 }, skip: !admin });
  return (
    <div className="filters" role="search" aria-label="Filter keys">
      {admin && (
        <div className="filter">
          <label htmlFor="filter-owner">Owner</label>
          <select id="filter-owner" value={values.owner} onChange={(e) => onChange({ ...values, owner: e.target.value })}>
            <option value="me">You</option>
            <option value="all">Everyone</option>
            {users.data?.users.nodes.map((user) => (
              <option key={user.id} value={user.id}>
                {user.email}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="filter">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" value={values.status} onChange={(e) => onChange({ ...values, status: e.target.value as KeyFilterValues['status'] })}>
          <option value="">Any</option>
          <option value="ACTIVE">Active</option>
          <option value="REVOKED">Revoked</option>
          <option value="EXPIRED">Expired</option>
        </select>
      </div>
      <div className="filter grow">
        <label htmlFor="filter-search">Search by name or prefix</label>
        <input id="filter-search" type="search" value={values.search} onChange={(e) => onChange({ ...values, search: e.target.value })} />
      </div>
    </div>
  );
}
