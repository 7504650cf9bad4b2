using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>A voter's answer to one lease request; <see cref="Response"/> is null when it could not be reached.</summary>
    internal readonly record struct VoterAnswer(string VoterId, LeaseResponse? Response);

    /// <summary>
    /// Sends <paramref name="request"/> to every resolved voter at once: this node's own voter directly,
    /// the others through the transport, each bounded by <see cref="BullyOptions.RequestTimeout"/>.
    /// </summary>
    private async Task<VoterAnswer[]> AskVotersAsync(VoterSet voters, LeaseRequest request, CancellationToken ct)
    {
        var calls = new List<Task<VoterAnswer>>(voters.Ids.Count);
        foreach (var id in voters.Ids)
        {
            if (id == SelfId)
                calls.Add(Task.FromResult(new VoterAnswer(id, AskLocalVoter(request))));
            else
                calls.Add(AskRemoteVoterAsync(id, request, ct));
        }
        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    private async Task<VoterAnswer> AskRemoteVoterAsync(string voterId, LeaseRequest request, CancellationToken ct)
    {
        var response = await CallAsync(voterId, "lease request",
            token => _transport.RequestLeaseAsync(voterId, request, token), ct).ConfigureAwait(false);
        return new VoterAnswer(voterId, response);
    }

    private LeaseResponse? AskLocalVoter(LeaseRequest request)
    {
        try
        {
            return _localVoter.Handle(request);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The local voter could not persist: it did not grant, so count it as unreachable.
            _logger.CallFailed(ex, SelfId, "lease request", SelfId);
            return null;
        }
    }

    /// <summary>Releases this node's grants for <paramref name="epoch"/> at every resolved voter; answers are ignored.</summary>
    private Task ReleaseAllAsync(VoterSet voters, long epoch, CancellationToken ct)
        => AskVotersAsync(voters, new LeaseRequest(SelfId, epoch, Release: true), ct);

    /// <summary>
    /// One call bounded by <see cref="BullyOptions.RequestTimeout"/>. Timeouts and transport failures
    /// give null; cancellation of <paramref name="ct"/> propagates.
    /// </summary>
    private async Task<T?> CallAsync<T>(string peerId, string operation, Func<CancellationToken, Task<T?>> call, CancellationToken ct)
        where T : class
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            return await call(attempt.Token).WaitAsync(_options.RequestTimeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await attempt.CancelAsync().ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.CallFailed(ex, SelfId, operation, peerId);
            return null;
        }
    }
}
