using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Calls this node's own HTTP API on loopback with the cluster token, the way the job runner and the
/// model sync loop reach the queue and the training state: the node serves the call when it leads and
/// relays it to the leader otherwise, so callers need not know who leads.
/// </summary>
public sealed class OwnApiClient(HttpClient http, Uri baseUri, ClusterToken token)
{
    /// <summary>Sends <paramref name="body"/> (JSON, when given) to <paramref name="path"/>; answers the status and body text.</summary>
    /// <exception cref="OperationCanceledException">After <paramref name="timeout"/>, or when <paramref name="ct"/> is cancelled.</exception>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, JsonObject? body, TimeSpan timeout, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (body is not null) request.Content = JsonContent.Create(body);
        token.Apply(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var response = await http.SendAsync(request, cts.Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cts.Token));
    }
}
