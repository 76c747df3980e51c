using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Pretzel.Server.Http;

namespace Pretzel.Server.Collect;

/// <summary>
/// Reads a request body whole, within a size limit that holds after decompression (gzip and deflate
/// bodies are accepted), so an oversized or compressed-bomb body is refused with 413 without being held.
/// </summary>
internal static class RequestBody
{
    private const int MaxMemberTries = 8;

    internal sealed record Body(byte[] Buffer, int Length) : IDisposable
    {
        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
    }

    internal static async Task<(Body? Body, IResult? Failure)> ReadAsync(HttpContext context, int limit, string tooLargeCode, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var compressed = encoding is "gzip" or "x-gzip" or "deflate";
        if (!compressed && encoding is not ("" or "identity"))
        {
            return (null, ApiJson.Failure(StatusCodes.Status415UnsupportedMediaType, "unsupported_encoding", $"Content-Encoding '{encoding}' is not supported; send identity, gzip or deflate"));
        }

        var rawLimit = compressed ? limit + 64 * 1024 : limit;
        if (request.ContentLength > rawLimit)
        {
            return (null, TooLarge(tooLargeCode, limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = rawLimit;
        }

        byte[]? compressedBuffer = null;
        try
        {
            if (!compressed)
            {
                var (buffer, length) = await ReadLimitedAsync(request.Body, limit, cancellationToken).ConfigureAwait(false);
                return buffer is null ? (null, TooLarge(tooLargeCode, limit)) : (new Body(buffer, length), null);
            }

            // The compressed bytes are read whole first (they are bounded by rawLimit), so that the end of the
            // stream can be checked: a decompressor given a truncated stream just stops early, without an error.
            var (raw, rawLength) = await ReadLimitedAsync(request.Body, rawLimit, cancellationToken).ConfigureAwait(false);
            if (raw is null)
            {
                return (null, TooLarge(tooLargeCode, limit));
            }

            compressedBuffer = raw;
            var data = raw.AsMemory(0, rawLength);
            var (output, outputLength) = await DecompressAsync(raw, rawLength, encoding, limit, cancellationToken).ConfigureAwait(false);
            if (output is null)
            {
                return (null, TooLarge(tooLargeCode, limit));
            }

            if (!IsComplete(data.Span, encoding, output.AsSpan(0, outputLength), limit))
            {
                ArrayPool<byte>.Shared.Return(output);
                return (null, ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_body", $"the {encoding} body is truncated: its end (checksum and length) is missing or does not match"));
            }

            return (new Body(output, outputLength), null);
        }
        catch (InvalidDataException ex)
        {
            return (null, ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_body", $"the {encoding} body could not be decompressed: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(tooLargeCode, limit));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_body", "the body could not be read: " + ex.Message));
        }
        finally
        {
            if (compressedBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(compressedBuffer);
            }
        }
    }

    /// <summary>Reads <paramref name="input"/> to its end into a pooled buffer; a null buffer when it holds more than <paramref name="limit"/> bytes.</summary>
    private static async Task<(byte[]? Buffer, int Length)> ReadLimitedAsync(Stream input, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 64 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await input.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return (buffer, length);
                }

                length += n;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static async Task<(byte[]? Buffer, int Length)> DecompressAsync(byte[] raw, int rawLength, string encoding, int limit, CancellationToken cancellationToken)
    {
        var source = new MemoryStream(raw, 0, rawLength, writable: false);
        await using var input = encoding == "deflate"
            ? (Stream)new ZLibStream(source, CompressionMode.Decompress)
            : new GZipStream(source, CompressionMode.Decompress);
        return await ReadLimitedAsync(input, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a compressed body ends with the checksum of what it decompressed to: zlib's Adler-32 for
    /// deflate; for gzip, CRC-32 and length of the last member (the whole output for the usual single member;
    /// for several concatenated members, of the output of the last one).
    /// </summary>
    private static bool IsComplete(ReadOnlySpan<byte> compressed, string encoding, ReadOnlySpan<byte> output, int limit)
    {
        if (encoding == "deflate")
        {
            return compressed.Length >= 6 && BinaryPrimitives.ReadUInt32BigEndian(compressed[^4..]) == Adler32(output);
        }

        if (compressed.Length < 18)
        {
            return false;
        }

        var crc = BinaryPrimitives.ReadUInt32LittleEndian(compressed[^8..]);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]);
        if (TrailerMatches(output, crc, size))
        {
            return true;
        }

        // Several members: find where the last one starts (a gzip header) and check its output alone. Each
        // try decompresses the rest of the body, so only the last few header-like positions are tried: a
        // body crafted with thousands of them would otherwise cost minutes of CPU.
        var tries = 0;
        for (var at = compressed.Length - 18; at > 0 && tries < MaxMemberTries; at--)
        {
            if (compressed[at] != 0x1F || compressed[at + 1] != 0x8B || compressed[at + 2] != 0x08)
            {
                continue;
            }

            tries++;

            try
            {
                using var member = new GZipStream(new MemoryStream(compressed[at..].ToArray(), writable: false), CompressionMode.Decompress);
                using var copy = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int n;
                while ((n = member.Read(chunk)) > 0 && copy.Length <= limit)
                {
                    copy.Write(chunk, 0, n);
                }

                var last = copy.GetBuffer().AsSpan(0, (int)copy.Length);
                if (output.EndsWith(last) && TrailerMatches(last, crc, size))
                {
                    return true;
                }
            }
            catch (InvalidDataException)
            {
                // Not a member start after all.
            }
        }

        return false;

        static bool TrailerMatches(ReadOnlySpan<byte> data, uint crc, uint size) =>
            (uint)data.Length == size && System.IO.Hashing.Crc32.HashToUInt32(data) == crc;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        while (data.Length > 0)
        {
            var n = Math.Min(data.Length, 5552);
            foreach (var x in data[..n])
            {
                a += x;
                b += a;
            }

            a %= Mod;
            b %= Mod;
            data = data[n..];
        }

        return (b << 16) | a;
    }

    private static IResult TooLarge(string code, int limit) =>
        ApiJson.Failure(StatusCodes.Status413PayloadTooLarge, code, $"the body is larger than {limit / 1024} KB{(code == "event_too_large" ? " (a single event may take 32 KB; send more in /v1/batch)" : " (split the batch)")}");
}
