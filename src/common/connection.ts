import type { ClassType } from 'type-graphql';
import { Field, Int, ObjectType } from 'type-graphql';
import type { Page } from './pagination';
import { PageInfo } from './page-info.type';

/** Builds the `XConnection { nodes totalCount pageInfo }` type for a node type. */
export function Connection<T extends object>(nodeType: ClassType<T>) {
  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [nodeType])
    nodes: T[];

    @Field(() => Int, { description: 'Matching items across all pages.' })
    totalCount: number;

    @Field(() => PageInfo)
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
