"""The instruct rows' ``messages`` are what TRL's SFTTrainer reads: proven by training a
tiny model built from a config (random weights, a tokenizer trained on the rows) for two
steps (the ``train`` extra, which CI installs)."""

from __future__ import annotations

import datasets
import transformers
import trl


def _tokenizer(texts: list[str]):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=400,
            special_tokens=["<unk>", "<pad>", "<s>", "</s>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        ),
    )
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
    )
    tokenizer.chat_template = (
        "{% for m in messages %}<s>{{ m['role'] }}\n{{ m['content'] }}</s>{% endfor %}"
        "{% if add_generation_prompt %}<s>assistant\n{% endif %}"
    )
    return tokenizer


def test_sft_trainer_trains_on_instruct_rows(tmp_path):
    from mavis_engine import PlaneGeometry

    rows = [r for s in PlaneGeometry().iter(0, 4, problems=True) for r in s.rows("instruct")]
    tokenizer = _tokenizer([t["content"] for r in rows for t in r["messages"]])
    config = transformers.LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = transformers.LlamaForCausalLM(config)
    dataset = datasets.Dataset.from_list([{"messages": r["messages"]} for r in rows])
    args = trl.SFTConfig(
        output_dir=str(tmp_path),
        max_steps=2,
        per_device_train_batch_size=2,
        report_to=[],
        save_strategy="no",
        max_length=None,
        use_cpu=True,
    )
    trainer = trl.SFTTrainer(
        model=model, args=args, train_dataset=dataset, processing_class=tokenizer
    )
    batch = next(iter(trainer.get_train_dataloader()))
    decoded = tokenizer.decode(batch["input_ids"][0])
    assert "user" in decoded and "assistant" in decoded and "Answer:" in decoded
    result = trainer.train()
    assert result.global_step == 2 and result.training_loss > 0
