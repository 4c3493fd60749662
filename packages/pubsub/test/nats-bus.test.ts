import { describeWithPeer } from '../../node-adapter/test/peers/peer-suite.js';
import { findBusServer } from './bus-servers.js';
import { clusterSuite } from './cluster-suite.js';

describeWithPeer('nats-server', findBusServer('nats'), 'pub/sub across processes over NATS', ({ binary }) => clusterSuite('nats', binary));
