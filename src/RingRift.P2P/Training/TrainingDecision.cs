namespace RingRift.P2P.Training;

/// <summary>Whether to train now and why, in words fit for a log line.</summary>
public sealed record TrainingDecision(bool ShouldTrain, string Reason);
