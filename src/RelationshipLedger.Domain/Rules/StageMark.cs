namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// Where an evaluation of the lifecycle stage ended: the stream version it covered, the instant it
/// was evaluated at, and the stage then with the instant it began. A later evaluation of the same
/// stream can continue from here instead of replaying the whole history (see <see cref="StageHistory.MarkAt"/>).
/// </summary>
public sealed record StageMark(long Version, DateTimeOffset EvaluatedAt, LifecycleStage Stage, DateTimeOffset Since);
