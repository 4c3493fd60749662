import { describeWithPeer } from '../../node-adapter/test/peers/peer-suite.js';
import { findBusServer } from './bus-servers.js';
import { clusterSuite } from './cluster-suite.js';

describeWithPeer('redis-server', findBusServer('redis'), 'pub/sub across processes over Redis', ({ binary }) => clusterSuite('redis', binary));
