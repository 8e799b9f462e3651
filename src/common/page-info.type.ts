import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'Keyset pagination: pass endCursor as `after` to get the next page.' })
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Cursor of the last item on this page (null when it is empty): pass it as `after`.' })
  endCursor: string | null;

  @Field({ description: 'Whether items follow this page.' })
  hasNextPage: boolean;
}
