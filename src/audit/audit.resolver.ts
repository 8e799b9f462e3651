import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { toConnection } from '../common/connection';
import { pageRequest } from '../common/pagination';
import { actorOf, type GraphQLContext } from '../identity/graphql-context';
import { RequiresScopes } from '../directives/guards';
import { redactPersonalChanges } from '../users/personal-fields';
import { AuditEventConnection } from './audit-event-connection.type';
import { AuditEvent } from './audit-event.entity';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @RequiresScopes(['read:audit'])
  @Directive('@listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)')
  @Query(() => AuditEventConnection, { description: 'Newest first. Members see events about themselves and their keys; admins all.' })
  auditEvents(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('action', () => String, { nullable: true, description: 'e.g. client_key.revoked' }) action?: string,
    @Arg('clientKeyId', () => ID, { nullable: true }) clientKeyId?: string,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
  ) {
    const { principal } = actorOf(ctx);
    return ctx.services.audit.list(principal, { action, clientKeyId, userId }, pageRequest(first, after)).then(toConnection);
  }

  @FieldResolver(() => GraphQLJSON, { description: "The fields changed; never a secret. Another user's email and role show as redacted without read:users." })
  changes(@Root() event: AuditEvent, @Ctx() ctx: GraphQLContext): Record<string, unknown> {
    return redactPersonalChanges(event.changes, ctx.principal, event.userId);
  }
}
