package io.tickwire.net.pipeline;

import io.tickwire.api.GameType;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The connections of one event loop share its codecs of each game type: an input touches no codec of its own
 * connection, and a connection carries none.
 */
class ConnectionGameTest
{
    private static final GameType OTHER = GameType.builder("other")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .inputSchema(new InputSchema(List.of(FieldDef.uint("fire", 1))))
        .factory(room ->
        {
            throw new UnsupportedOperationException("no rooms in these tests");
        })
        .build();

    @Test
    void connectionsOfOneLoopShareItsCodecsOfTheirType()
    {
        final InboundCodec loop = new InboundCodec();
        final ConnectionGame first = new ConnectionGame(ClientMessageHandlerTest.GAME, false, loop);
        final ConnectionGame second = new ConnectionGame(ClientMessageHandlerTest.GAME, true, loop);
        final ConnectionGame other = new ConnectionGame(OTHER, false, loop);

        assertSame(first.messageCodec(), second.messageCodec());
        assertSame(loop.inputCodec(ClientMessageHandlerTest.GAME), loop.inputCodec(ClientMessageHandlerTest.GAME));
        assertNotSame(first.messageCodec(), other.messageCodec(), "a codec per type");
        assertNotSame(loop.inputCodec(ClientMessageHandlerTest.GAME), loop.inputCodec(OTHER));
        assertNotSame(first.messageCodec(), new ConnectionGame(ClientMessageHandlerTest.GAME, false,
            new InboundCodec()).messageCodec(), "a codec per loop");
    }
}
