using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// Relays a GET to one peer with the cluster token and this node in the forwarding chain
/// (<see cref="PeerClient.ForwardedHeader"/>), so the peer answers from its own state and never relays
/// it further. A peer that cannot be reached in time is a 503 PEER_UNREACHABLE naming it.
/// </summary>
public sealed class PeerRelay(PeerClient client)
{
    /// <summary>How long a relayed call may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<PeerAnswer> GetAsync(string nodeId, Uri baseUri, string pathAndQuery, string via, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, pathAndQuery));
        request.Headers.TryAddWithoutValidation(PeerClient.ForwardedHeader, via);
        try
        {
            return await client.ExchangeAsync(request, Timeout, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "PEER_UNREACHABLE",
                $"node '{nodeId}' at {baseUri.Authority} did not answer ({e.Message})", e)
            { RetryAfterSeconds = 1 };
        }
    }

    /// <summary>The peer's answer passed on as it came: its status and its JSON body.</summary>
    public static IResult AsResult(PeerAnswer answer) =>
        TypedResults.Text(answer.Body, "application/json", System.Text.Encoding.UTF8, answer.Status);
}
