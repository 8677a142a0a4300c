/** Shopping journeys as Markov chains: transition matrix, P(purchase | state), top paths and removal effects. */
export { STATES, STATE, STATE_COUNT, isAbsorbing, type JourneyState } from './states.js';
export {
  fitJourneys, transitionProbabilities, absorption,
  type JourneySteps, type JourneyOptions, type JourneyModel, type JourneyPath, type RemovalEffect,
} from './markov.js';
