export { EXECUTABLE, type Picked, PROGRAMS, type Program, pickProgram, USAGE } from './pick-program.ts';
