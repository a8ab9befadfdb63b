namespace RelationshipLedger.Domain.Tests;
