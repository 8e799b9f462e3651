import type { ClassType } from 'type-graphql';
import { Field, Int, ObjectType } from 'type-graphql';
import type { Page } from './pagination';
import { PageInfo } from './page-info.type';

/**
 * Builds the `XConnection { nodes totalCount pageInfo }` type for a node type. Object types
 * here use `simpleResolvers`: graphql-js reads the fields directly, with no per-field
 * middleware wrapper (Keygate uses none; authorization is the directive transform's).
 */
export function Connection<T extends object>(nodeType: ClassType<T>) {
  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionClass {
    @Field(() => [nodeType], { description: 'This page of items.' })
    nodes: T[];

    /** A thunk: graphql-js calls function-valued fields, so the COUNT runs only when selected. */
    @Field(() => Int, { description: 'Matching items across all pages.' })
    totalCount: () => Promise<number>;

    @Field(() => PageInfo, { description: 'Where this page ends, and whether more follow.' })
    pageInfo: PageInfo;
  }
  return ConnectionClass;
}

export function toConnection<T>(page: Page<T>) {
  return {
    nodes: page.nodes,
    totalCount: page.totalCount,
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
  };
}
