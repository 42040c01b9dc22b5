import { Type } from '@sinclair/typebox';
import {
  BatteryHealthResponse,
  EquipmentItem,
  EquipmentListResponse,
  EquipmentParams,
  EquipmentPutBody,
  ErrorResponse,
  IdParams,
  MaintenanceItem,
  MaintenanceKindParams,
  MaintenanceQuery,
  MaintenanceResponse,
  ServiceRecord,
  ServiceRecordBody,
  ServiceRecordList,
  ThresholdsPutBody,
} from '@dronelog/contracts';
import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { strictBodyValidator } from '../flights/strict-validator.js';

const badRequest = { 400: { ...ErrorResponse, description: 'The request is invalid; `message` says what to change.' } };
const notFound = (what: string) => ({ 404: { ...ErrorResponse, description: what } });

/** Equipment (names, retirement, notes), battery health, and maintenance (thresholds, service records). */
const equipmentRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  fastify.get(
    '/equipment',
    {
      schema: {
        tags: ['equipment'],
        summary: 'Aircraft and batteries (from flights and registered ones) with names, retirement, notes and use',
        response: { 200: EquipmentListResponse },
      },
    },
    async (request) => request.profile.services.equipment.list(),
  );

  fastify.put(
    '/equipment/:kind/:serial',
    {
      schema: {
        tags: ['equipment'],
        summary: 'Rename, retire or annotate an aircraft or battery (registers it if unknown)',
        params: EquipmentParams,
        body: EquipmentPutBody,
        response: { 200: EquipmentItem, ...badRequest },
      },
      validatorCompiler: strictBodyValidator,
    },
    async (request) => request.profile.services.equipment.update(request.params.kind, request.params.serial, request.body),
  );

  fastify.get(
    '/equipment/batteries',
    {
      schema: {
        tags: ['equipment'],
        summary: 'Battery health: use, cycles, capacity trend, health estimate, voltage and temperature extremes',
        description: `Health formula: ${BatteryHealthResponse.properties.formula.description ?? ''}`,
        response: { 200: BatteryHealthResponse },
      },
    },
    async (request) => request.profile.services.equipment.batteryHealth(),
  );

  fastify.get(
    '/maintenance',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Maintenance status per aircraft and battery: counters since the last service, % of thresholds, overdue',
        querystring: MaintenanceQuery,
        response: { 200: MaintenanceResponse, ...badRequest },
      },
    },
    async (request) => request.profile.services.maintenance.status(request.query),
  );

  fastify.put(
    '/maintenance/defaults/:kind',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Set the default thresholds of a kind (null = no limit)',
        params: MaintenanceKindParams,
        body: ThresholdsPutBody,
        response: { 200: MaintenanceResponse, ...badRequest },
      },
      validatorCompiler: strictBodyValidator,
    },
    async (request) => request.profile.services.maintenance.setDefaults(request.params.kind, request.body),
  );

  fastify.put(
    '/maintenance/:kind/:serial/thresholds',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Set one item's thresholds (null = use its kind's default)",
        params: EquipmentParams,
        body: ThresholdsPutBody,
        response: { 200: MaintenanceItem, ...badRequest, ...notFound('No aircraft/battery with this serial is known.') },
      },
      validatorCompiler: strictBodyValidator,
    },
    async (request) => request.profile.services.maintenance.setThresholds(request.params.kind, request.params.serial, request.body),
  );

  fastify.get(
    '/maintenance/:kind/:serial/services',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Service records of an aircraft or battery, newest first',
        params: EquipmentParams,
        response: { 200: ServiceRecordList, ...badRequest },
      },
    },
    async (request) => request.profile.services.maintenance.services(request.params.kind, request.params.serial),
  );

  fastify.post(
    '/maintenance/:kind/:serial/services',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Record a service (today unless `date` says otherwise); the counters restart from it',
        params: EquipmentParams,
        body: ServiceRecordBody,
        response: { 201: ServiceRecord, ...badRequest, ...notFound('No aircraft/battery with this serial is known.') },
      },
      validatorCompiler: strictBodyValidator,
    },
    async (request, reply) => reply.status(201).send(await request.profile.services.maintenance.addService(request.params.kind, request.params.serial, request.body)),
  );

  fastify.delete(
    '/maintenance/services/:id',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Delete a service record (e.g. entered by mistake)',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...badRequest, ...notFound('No service record with this id.') },
      },
    },
    async (request, reply) => {
      await request.profile.services.maintenance.deleteService(request.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default equipmentRoutes;
