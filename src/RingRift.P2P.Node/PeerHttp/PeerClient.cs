using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.PeerHttp;

/// <summary>
/// Node-to-node HTTP calls: JSON in, JSON out, the cluster token attached, a deadline on every call.
/// A peer that cannot be reached, answers an error or answers garbage yields null; nothing throws
/// except the caller's own cancellation.
/// </summary>
public sealed class PeerClient(HttpClient http, ClusterToken token, ILogger<PeerClient> logger)
{
    public const string ForwardedHeader = "X-RingRift-Forwarded-By";

    /// <summary>
    /// Sends <paramref name="request"/> with the cluster token and reads the whole answer, whatever its
    /// status, within <paramref name="timeout"/>. Unlike the JSON calls this throws: <see cref="HttpRequestException"/>
    /// when the peer cannot be reached, <see cref="TimeoutException"/> when it does not answer in time.
    /// </summary>
    public async Task<PeerAnswer> ExchangeAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        token.Apply(request);
        try
        {
            using var response = await http.SendAsync(request, cts.Token);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            return new PeerAnswer((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.###} s", e);
        }
    }

    public Task<TResponse?> PostAsync<TRequest, TResponse>(PeerEndpoint endpoint, string path, TRequest body, TimeSpan timeout, CancellationToken ct)
        where TResponse : class =>
        SendAsync<TResponse>(endpoint, new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseUri, path))
        {
            Content = JsonContent.Create(body, NodeJson.Contract<TRequest>()),
        }, timeout, ct);

    public Task<TResponse?> GetAsync<TResponse>(PeerEndpoint endpoint, string path, TimeSpan timeout, CancellationToken ct)
        where TResponse : class =>
        SendAsync<TResponse>(endpoint, new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint.BaseUri, path)), timeout, ct);

    private async Task<TResponse?> SendAsync<TResponse>(PeerEndpoint endpoint, HttpRequestMessage request, TimeSpan timeout, CancellationToken ct)
        where TResponse : class
    {
        var path = request.RequestUri!.AbsolutePath;
        using var _ = request;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        token.Apply(request);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.PeerAnswered(request.Method.Method, endpoint.ToString(), path, (int)response.StatusCode);
                return null;
            }
            return await response.Content.ReadFromJsonAsync(NodeJson.Contract<TResponse>(), cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.PeerTimedOut(request.Method.Method, endpoint.ToString(), path, timeout);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException or InvalidOperationException)
        {
            logger.PeerFailed(request.Method.Method, endpoint.ToString(), path, ex.Message);
            return null;
        }
    }
}

/// <summary>A peer's answer as <see cref="PeerClient.ExchangeAsync"/> read it: status, body text, and Retry-After when sent.</summary>
public sealed record PeerAnswer(int Status, string Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>The cluster auth token, if one is configured: attached to outgoing calls, checked on incoming ones.</summary>
public sealed class ClusterToken(string? value)
{
    public bool IsSet => !string.IsNullOrEmpty(value);

    public void Apply(HttpRequestMessage request)
    {
        if (IsSet) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
    }

    /// <summary>Constant-time comparison (both sides hashed first, so length leaks nothing either).</summary>
    public bool Matches(string? presented)
    {
        if (!IsSet) return true;
        if (presented is null) return false;
        var a = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented));
        var b = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value!));
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(a, b);
    }
}
