package io.tickwire.jmh.codec;

import io.tickwire.api.GameType;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageEncoder;

import java.util.List;

/**
 * The game messages the codec benchmarks read and write, both sendable either way: a chat line (a channel and
 * 32 bytes of text, its whole length used) and a numeric message of four fields (an aim and a target).
 */
public enum BenchMessages
{
    CHAT(MessageType.both(1, "chat", 10, 20, FieldDef.uint("channel", 7), FieldDef.text("text", 32)))
    {
        void fill(final MessageEncoder encoder, final int seed)
        {
            encoder.putInt(0, seed & 7).putText(1, TEXT);
        }
    },
    NUMERIC(MessageType.both(2, "aim", 30, 60, FieldDef.integer("dx", -1000, 1000),
        FieldDef.integer("dy", -1000, 1000), FieldDef.uint("weapon", 15), FieldDef.uint("target", 65535)))
    {
        void fill(final MessageEncoder encoder, final int seed)
        {
            encoder.putInt(0, (seed & 511) - 256).putInt(1, 700).putInt(2, 3).putInt(3, 40_000 + (seed & 1023));
        }
    };

    /** 32 bytes of UTF-8, the chat field's maximum. */
    static final String TEXT = "gg, well played! rematch at 9pm?";

    /** A game type declaring both messages, for {@link io.tickwire.codec.MessageCodec}; it never makes a room. */
    static final GameType GAME_TYPE = GameType.builder("codec-bench")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("unused", 1))))
        .message(CHAT.type)
        .message(NUMERIC.type)
        .factory(room ->
        {
            throw new UnsupportedOperationException("codec benchmarks make no rooms");
        })
        .build();

    final MessageType type;

    BenchMessages(final MessageType type)
    {
        this.type = type;
    }

    /**
     * Puts every field of a message begun on {@code encoder}; {@code seed} varies the numeric values.
     */
    abstract void fill(MessageEncoder encoder, int seed);
}
