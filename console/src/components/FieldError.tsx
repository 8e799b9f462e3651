import { type FieldProblem, isAbout } from '../budget';

/** The server's refusal of one field, shown beside it (the field points here with aria-describedby). */
export function FieldError({ id, problem, field }: { id: string; problem: FieldProblem | null; field: string }) {
  if (!isAbout(problem, field)) return null;
  return (
    <p id={id} role="alert" className="error">
      {problem!.message}
    </p>
  );
}
