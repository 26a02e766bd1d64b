export { configService } from './configService';
