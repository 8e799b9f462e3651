import 'reflect-metadata';
import { createDataSource } from './src/database/data-source';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run`). It needs DATABASE_URL:
 * the embedded PostgreSQL of `npm start` migrates itself at start-up.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required for the migration CLI (npm start migrates the embedded database by itself)');
  process.exit(1);
}

export default createDataSource({ url });
