using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Election;

/// <summary>Source-generated log messages of the Bully election. Event ids 1000–1099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "{NodeId} is leader for epoch {Epoch}: {Granted}/{Size} voters granted (majority {Majority}), acting until {ValidUntil:O}")]
    public static partial void BecameLeader(this ILogger logger, string nodeId, long epoch, int granted, int size, int majority, DateTimeOffset validUntil);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "{NodeId} lost the campaign for epoch {Epoch}: {Granted} granted, {Answered} answered, majority {Majority}; backing off until {BackoffUntil:O}")]
    public static partial void CampaignFailed(this ILogger logger, string nodeId, long epoch, int granted, int answered, int majority, DateTimeOffset backoffUntil);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "{NodeId} stops leading epoch {Epoch}: its lease ended at {ValidUntil:O} without a renewal")]
    public static partial void LeaseExpired(this ILogger logger, string nodeId, long epoch, DateTimeOffset validUntil);

    // 1003 (a leader stepping down because a higher voter is alive) is retired: a leader with a valid lease is not preempted.

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "{NodeId} steps down from epoch {Epoch}: {Source} reports epoch {HigherEpoch}")]
    public static partial void SteppingDownForHigherEpoch(this ILogger logger, string nodeId, long epoch, string source, long higherEpoch);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "{NodeId} could not renew epoch {Epoch}: {Granted} granted, majority {Majority}; acting only until {ValidUntil:O}")]
    public static partial void RenewalFailed(this ILogger logger, string nodeId, long epoch, int granted, int majority, DateTimeOffset validUntil);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug,
        Message = "{NodeId} renewed epoch {Epoch}: {Granted} granted, acting until {ValidUntil:O}")]
    public static partial void Renewed(this ILogger logger, string nodeId, long epoch, int granted, DateTimeOffset validUntil);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug,
        Message = "{NodeId} defers its campaign: higher voter {HigherId} will lead")]
    public static partial void DeferringToHigher(this ILogger logger, string nodeId, string higherId);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information,
        Message = "{NodeId} follows leader {LeaderId} at epoch {Epoch}")]
    public static partial void FollowingLeader(this ILogger logger, string nodeId, string leaderId, long epoch);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug,
        Message = "{NodeId} refuses the announcement of {LeaderId} at epoch {Epoch}: {Reason}")]
    public static partial void AnnouncementRefused(this ILogger logger, string nodeId, string leaderId, long epoch, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "{NodeId} steps down from epoch {Epoch} on request; releasing its grants")]
    public static partial void SteppingDownOnRequest(this ILogger logger, string nodeId, long epoch);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning,
        Message = "{NodeId}: {Operation} to {PeerId} failed")]
    public static partial void CallFailed(this ILogger logger, Exception exception, string nodeId, string operation, string peerId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug,
        Message = "{NodeId} campaigns for epoch {Epoch} among {Size} voters")]
    public static partial void Campaigning(this ILogger logger, string nodeId, long epoch, int size);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error,
        Message = "{NodeId}: a LeaderChanged handler threw")]
    public static partial void LeaderChangedHandlerFailed(this ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning,
        Message = "{NodeId} refused a {Kind} from '{SenderId}' at epoch {Epoch}: not a known voter; its voter and known epoch stay as they were")]
    public static partial void UnknownVoterRefused(this ILogger logger, string nodeId, string kind, string senderId, long epoch);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug,
        Message = "{NodeId} does not campaign: its pre-vote found {Free} of {Answered} answering voters free (majority {Majority}; a grant held by {Holder}); backing off until {BackoffUntil:O}")]
    public static partial void PreVoteFailed(this ILogger logger, string nodeId, int free, int answered, int majority, string holder, DateTimeOffset backoffUntil);
}
