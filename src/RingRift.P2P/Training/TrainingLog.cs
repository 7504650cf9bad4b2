using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Training;

/// <summary>Source-generated logs of the training loop; event ids 7300–7399.</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 7300, Level = LogLevel.Information, Message = "Training of {Config} queued as {WorkId} (priority {Priority}, {Games} new games): {Reason}")]
    public static partial void TrainingQueued(ILogger logger, string config, string workId, double priority, int games, string reason);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Evaluation {WorkId} of model {ModelPath} queued (baseline {Baseline})")]
    public static partial void EvaluationQueued(ILogger logger, string workId, string modelPath, string baseline);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Debug, Message = "Self-play {WorkId} queued ({Games} games)")]
    public static partial void SelfplayQueued(ILogger logger, string workId, int games);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Debug, Message = "{WorkId} already exists: another leader or an earlier tick queued it")]
    public static partial void AlreadyQueued(ILogger logger, string workId);

    [LoggerMessage(EventId = 7304, Level = LogLevel.Information, Message = "Training of {Config} deferred: {Running} of at most {Max} trainings already queued or running")]
    public static partial void Deferred(ILogger logger, string config, int running, int max);

    [LoggerMessage(EventId = 7305, Level = LogLevel.Warning, Message = "Training tick failed: {ErrorType}: {Error}")]
    public static partial void TickFailed(ILogger logger, Exception exception, string errorType, string error);

    [LoggerMessage(EventId = 7306, Level = LogLevel.Information, Message = "Training loop leads now: remembered {Announced} finished items without announcing them")]
    public static partial void Seeded(ILogger logger, int announced);
}
