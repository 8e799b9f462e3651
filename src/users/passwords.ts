import bcrypt from 'bcrypt';

export class PasswordHasher {
  /** A hash of nothing anyone knows, compared against when an email is unknown so both paths cost the same. */
  private readonly decoy: Promise<string>;

  constructor(private readonly cost: number) {
    this.decoy = bcrypt.hash('keygate-decoy-password', cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const ok = await bcrypt.compare(password, hash ?? (await this.decoy));
    return ok && hash !== undefined;
  }
}
