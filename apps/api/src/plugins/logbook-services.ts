import fp from 'fastify-plugin';
import { AuditRepository } from '../repositories/audit.repository.js';
import { EquipmentRepository } from '../repositories/equipment.repository.js';
import { ExportRepository } from '../repositories/export.repository.js';
import { FlightEventsRepository } from '../repositories/flight-events.repository.js';
import { FlightRepository } from '../repositories/flight.repository.js';
import { MaintenanceRepository } from '../repositories/maintenance.repository.js';
import { ManualFlightRepository } from '../repositories/manual-flight.repository.js';
import { OverviewRepository } from '../repositories/overview.repository.js';
import { ReportRepository } from '../repositories/report.repository.js';
import { TagRepository } from '../repositories/tag.repository.js';
import { TelemetryRepository } from '../repositories/telemetry.repository.js';
import { AuditService } from '../services/audit.service.js';
import { EquipmentService } from '../services/equipment.service.js';
import { ExportService } from '../services/export.service.js';
import { FlightEventsService } from '../services/flight-events.service.js';
import { FlightQueryService } from '../services/flight-query.service.js';
import { MaintenanceService } from '../services/maintenance.service.js';
import { ManualFlightService } from '../services/manual-flight.service.js';
import { OverviewService } from '../services/overview.service.js';
import { ReportService } from '../services/report.service.js';

/**
 * Wires the logbook features on the root instance: overview, equipment and battery health, maintenance, events,
 * exports, report, manual entry and the audit trail (which flight-services hands to FlightEditService).
 */
export default fp(
  async (fastify) => {
    const db = fastify.db;
    const flights = new FlightRepository(db);
    const queries = new FlightQueryService(flights, new TelemetryRepository(db), new TagRepository(db));
    const equipment = new EquipmentRepository(db);
    const exportsRepo = new ExportRepository(db);
    fastify.decorate('flightAudit', new AuditService(new AuditRepository(db), flights));
    fastify.decorate('overview', new OverviewService(new OverviewRepository(db)));
    fastify.decorate('equipment', new EquipmentService(equipment));
    fastify.decorate('maintenance', new MaintenanceService(new MaintenanceRepository(db), equipment));
    fastify.decorate('flightEvents', new FlightEventsService(new FlightEventsRepository(db), flights));
    fastify.decorate('flightExports', new ExportService(exportsRepo, queries));
    fastify.decorate('logbookReport', new ReportService(exportsRepo, new ReportRepository(db)));
    fastify.decorate('manualFlights', new ManualFlightService(new ManualFlightRepository(db), queries));
  },
  { name: 'logbook-services', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    flightAudit: AuditService;
    overview: OverviewService;
    equipment: EquipmentService;
    maintenance: MaintenanceService;
    flightEvents: FlightEventsService;
    flightExports: ExportService;
    logbookReport: ReportService;
    manualFlights: ManualFlightService;
  }
}
