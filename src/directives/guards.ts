import { Directive } from 'type-graphql';
import type { Scope } from '../scopes/scope-catalog';

/**
 * Typed shorthands for the SDL directives, so a resolver reads
 * `@RequiresScopes(['read:users'])` and a misspelt scope fails to compile.
 */
export const Public = () => Directive('@public');

export const Authenticated = () => Directive('@authenticated');

/** Each argument is one alternative; every scope inside it is needed. */
export const RequiresScopes = (...alternatives: Scope[][]) => Directive(`@requiresScopes(scopes: ${JSON.stringify(alternatives)})`);
