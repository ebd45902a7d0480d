package io.tickwire.net;

import io.tickwire.codec.CloseCodes;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The close frame reaches a client that still had bytes in flight when the server closed it, and the connection ends
 * with a FIN, not a reset: the server half-closes after its close frame and reads on, so it never resets a connection
 * whose peer's bytes it left unread (a reset can make the peer's kernel discard the close frame before the peer read
 * it; Linux keeps it readable, other systems may not, so the test checks for the reset itself).
 */
@Timeout(30)
class CloseHandshakeIntegrationTest
{
    private static final int FIN_TEXT = 0x81;
    private static final int FIN_BINARY = 0x82;
    private static final int FIN_CLOSE = 0x88;

    /**
     * A text frame is refused by the client handler, whose close frame the session writes; a close frame with an
     * invalid code by the frame guard, which writes its own.
     */
    static Stream<Arguments> violations()
    {
        return Stream.of(
            Arguments.of("text frame", FIN_TEXT, new byte[] {'x'}, CloseCodes.UNSUPPORTED_DATA),
            Arguments.of("close code 999", FIN_CLOSE, new byte[] {0x03, (byte)0xE7}, CloseCodes.PROTOCOL_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void aClientWithFramesInFlightStillReadsItsCloseFrame(
        final String name, final int finAndOpcode, final byte[] payload, final int closeCode) throws Exception
    {
        try (LiveServer server = LiveServer.start(1);
            RawWsClient client = new RawWsClient(server.server().port(), 64 * 1024))
        {
            client.frame(finAndOpcode, payload);
            final byte[] filler = new byte[120];
            for (int i = 0; i < 1_000; i++)
            {
                client.frame(FIN_BINARY, filler);
            }
            client.flush();

            final NetCounters counters = server.server().netCounters();
            await().atMost(Duration.ofSeconds(10)).until(() -> counters.connectionsClosed.get() == 1);

            final ByteArrayOutputStream stream = new ByteArrayOutputStream();
            assertDoesNotThrow(() -> client.readToCleanEnd(stream), "the stream ends with a FIN, not a reset");
            final byte[] received = stream.toByteArray();
            assertTrue(received.length >= 4, "the close frame arrived: " + Arrays.toString(received));
            assertEquals(FIN_CLOSE, received[0] & 0xFF, "a close frame and nothing else");
            assertEquals(closeCode, ((received[2] & 0xFF) << 8) | (received[3] & 0xFF));
            assertEquals(2 + (received[1] & 0x7F), received.length, "nothing after the close frame");
        }
    }
}
