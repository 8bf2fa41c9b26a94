#!/usr/bin/env python3
"""Generates the calleval sample dataset ("Northwind Support") from the definitions below.

Run through generate.sh (it checks that espeak-ng, sox and soxi are installed). Standard library only.

For every call:
  1. each utterance is synthesised with espeak-ng (22.05 kHz mono), converted by sox to 16 kHz
     16-bit mono with leading/trailing silence trimmed, and its length measured with `soxi -s`;
  2. the clips are placed one after the other with a gap chosen by a RNG seeded with the call id
     (so the layout is reproducible), the first one 300-600 ms into the call;
  3. AGENT clips go to the LEFT channel, USER clips to the RIGHT channel, the other channel holds
     digital silence; 500 ms of silence follow the last clip;
  4. the transcript offsets are exactly where the clips were placed:
       start_offset_ms = placement in ms,  end_offset_ms = start + round(samples / 16)
     (16 samples per ms at 16 kHz; placements are whole milliseconds).

Anchors in tool calls and events ("u3.end+200") refer to utterance 3 (0-based) of that call and are
resolved after placement, so tool calls always land at the intended moment of the audio.
"""
from __future__ import annotations

import argparse
import array
import copy
import csv
import hashlib
import io
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RATE = 16000
SAMPLES_PER_MS = RATE // 1000
TRAILING_MS = 500
AGENT_ID = "1234"
AGENT_NAME = "Nora (Northwind AI)"
AGENT_PHONE = "+15550100"
AGENT_VOICE = {"voice": "en-us+f3", "speed": 165}
SOX_TRIM = ["silence", "1", "0.02", "0.1%", "reverse", "silence", "1", "0.02", "0.1%", "reverse"]
MAX_RECORDINGS_BYTES = 25 * 1024 * 1024

MANIFEST_COLUMNS = [
    "call_id", "agent_id", "start_time_utc", "recording", "transcript", "agent_name", "agent_phone",
    "customer_name", "customer_phone", "agent_spoke_first", "call_direction", "interface", "tags",
    "tool_calls", "events", "sidecar", "custom_metrics", "label", "conversation_ended_by",
    "multichannel", "metadata.queue", "metadata.customer_tier",
]

# The sandbox's judgement controls (docs/sandbox.md): calls.csv and calls-night2.csv carry them, so that a run
# against the sandbox gives two nights to compare (docs/compare-and-alerts.md). calls-with-errors.csv does not.
NIGHT_COLUMNS = MANIFEST_COLUMNS + [
    "metadata.sandbox_goal_success", "metadata.sandbox_hallucination", "metadata.sandbox_custom_metrics",
]

# Night 2 (2026-11-20): the same 15 conversations under new call ids. Six calls miss their goal (goal success
# 100 % -> 60 %, a significant drop), two hallucinate (0 % -> 13 %, beyond 3 pp but not significant for 15 calls),
# and politeness scores fall a little.
NIGHT2_GOAL_MISSED = {3, 5, 7, 9, 12, 15}
NIGHT2_HALLUCINATED = {7, 12}
NIGHT1_POLITENESS = [5, 5, 4, 5, 5, 4, 5, 5, 5, 4, 5, 5, 5, 4, 5]
NIGHT2_POLITENESS = [4, 5, 3, 5, 4, 4, 3, 5, 4, 4, 5, 3, 4, 4, 3]


def night_row(call, number, night):
    """A row of calls.csv (night 1) or calls-night2.csv (night 2, call id nw-2026-11-20-NNNN) with sandbox controls."""
    if night == 1:
        r = manifest_row(call)
        goal, hallucinated, politeness = True, False, NIGHT1_POLITENESS[number - 1]
    else:
        r = manifest_row(call, call["id"].replace("2026-11-19", "2026-11-20"))
        r["start_time_utc"] = call["start"].replace("2026-11-19", "2026-11-20")
        goal, hallucinated = number not in NIGHT2_GOAL_MISSED, number in NIGHT2_HALLUCINATED
        politeness = NIGHT2_POLITENESS[number - 1]
    r["metadata.sandbox_goal_success"] = "true" if goal else "false"
    r["metadata.sandbox_hallucination"] = "true" if hallucinated else "false"
    r["metadata.sandbox_custom_metrics"] = f"Resolved on first contact={'pass' if goal else 'fail'};Politeness={politeness}"
    return r


def write_manifests(root):
    """Writes manifests/*.csv (but the provider-format ones) and manifests/README.md: no audio tool needed."""
    calls_by_id = {c["id"]: c for c in CALLS}
    write_csv(root / "manifests" / "calls.csv", [night_row(c, i + 1, 1) for i, c in enumerate(CALLS)], NIGHT_COLUMNS)
    write_csv(root / "manifests" / "calls-night2.csv", [night_row(c, i + 1, 2) for i, c in enumerate(CALLS)], NIGHT_COLUMNS)
    rows, notes = error_manifest(calls_by_id)
    write_csv(root / "manifests" / "calls-with-errors.csv", rows)
    (root / "manifests" / "README.md").write_text(manifests_readme(notes), encoding="utf-8")


# Fixed custom-metric ids (UUIDs) used by a few rows.
METRIC_REFUND_POLICY = "3f0c2a57-5b1e-4c8e-9a7d-2e6b1f4c9d10"
METRIC_ESCALATION = "8d41b6e2-0c7a-4f3b-b5e9-61a2c7d8e4f3"
METRIC_HIPAA_VERIFY = "c2a9e7f1-4b6d-4e21-8f3a-9d0b5c6e7a18"


def A(text, say=None, filler=False, gap=None):
    return {"speaker": "AGENT", "text": text, "say": say, "filler": filler, "gap": gap}


def U(text, say=None, gap=None):
    return {"speaker": "USER", "text": text, "say": say, "filler": False, "gap": gap}


# --------------------------------------------------------------------------------------------------
# The conversations. 0-based utterance indices are used by the "at"/"start"/"end" anchors.
# sidecar: "column" -> path in the `sidecar` column; "split" -> same path in `tool_calls` and `events`.
# --------------------------------------------------------------------------------------------------
CALLS = [
    {
        "id": "nw-2026-11-19-0001",
        "start": "2026-11-19T08:02:11Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Maria Alvarez", "phone": "+15555550101", "voice": "en-gb+f4", "speed": 158},
        "ended_by": "USER", "tags": ["orders", "nightly"], "label": "production", "custom_metrics": [],
        "metadata": {"queue": "orders", "customer_tier": "gold"},
        "sidecar": "column",
        "turns": [
            A("Northwind Support, this is Nora. How can I help?"),
            U("Hi, I'm checking on my order. It was due yesterday."),
            A("Sure. What's the order number?"),
            U("It's NW-48172.", say="It's N W, 4 8 1 7 2."),
            A("One moment while I check that.", filler=True),
            A("It shipped Monday and is out for delivery today, arriving by 6 PM.",
              say="It shipped Monday and is out for delivery today, arriving by 6 P M."),
            U("Great, thank you."),
            A("You're welcome, Maria. Goodbye!"),
        ],
        "tool_calls": [
            {"name": "lookup_order", "description": "Fetch the status and tracking of an order by its order number",
             "at": "u4.start+240", "parameters": {"order_id": "NW-48172"},
             "output": {"order_id": "NW-48172", "status": "out_for_delivery", "carrier": "UPS",
                        "shipped_on": "2026-11-16", "estimated_delivery": "2026-11-19T18:00:00-05:00"}},
        ],
        "events": [
            {"title": "Hold", "description": "Agent looked up the order while the customer waited",
             "start": "u4.start", "end": "u5.start", "tags": ["hold"]},
        ],
        "sidecar_metadata": {"order_id": "NW-48172", "resolution": "informed"},
        "sidecar_tags": ["order-status"],
    },
    {
        "id": "nw-2026-11-19-0002",
        "start": "2026-11-19T08:17:45Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "James Okafor", "phone": "+15555550102", "voice": "en-us+m3", "speed": 160},
        "ended_by": "USER", "tags": ["refunds", "nightly"], "label": "production",
        "custom_metrics": [METRIC_REFUND_POLICY],
        "metadata": {"queue": "billing", "customer_tier": "silver"},
        "sidecar": "column",
        "turns": [
            A("Northwind Support, Nora speaking. What can I do for you?"),
            U("I returned a blender two weeks ago and still have no refund."),
            A("Sorry about that. What's the email on your account?"),
            U("Sure, it's j.okafor@example.com.", say="Sure, it's j dot okafor at example dot com."),
            A("Your return arrived November 12th, so I've issued a refund of $89.99.",
              say="Your return arrived November 12th, so I've issued a refund of 89 dollars 99."),
            U("How long will that take?"),
            A("It should reach your card in 3 to 5 business days."),
            U("Okay, thanks."),
        ],
        "tool_calls": [
            {"name": "verify_customer", "description": "Verify the caller against the account email",
             "at": "u3.end+150", "parameters": {"email": "j.okafor@example.com"},
             "output": {"verified": True, "customer_id": "C-20931"}},
            {"name": "lookup_return", "description": "Find open returns for a customer",
             "at": "u3.end+330", "parameters": {"customer_id": "C-20931"},
             "output": {"return_id": "RMA-6604", "order_id": "NW-46655", "item": "Blender BX-200",
                        "received_on": "2026-11-12", "refund_status": "pending"}},
            {"name": "issue_refund", "description": "Refund a received return to the original payment method",
             "at": "u4.start-120", "parameters": {"return_id": "RMA-6604", "amount": 89.99, "currency": "USD"},
             "output": {"refund_id": "RF-118204", "status": "issued", "expected_within_business_days": 5}},
        ],
        "events": [
            {"title": "Customer verified", "description": "Identity confirmed by account email",
             "start": "u3.end+150", "end": "u3.end+150", "tags": ["verification"]},
            {"title": "Refund issued", "description": "Refund RF-118204 of 89.99 USD issued",
             "start": "u4.start-120", "end": "u4.end", "tags": ["refund"]},
        ],
        "sidecar_metadata": {"order_id": "NW-46655", "return_id": "RMA-6604", "refund_amount": 89.99},
        "sidecar_tags": ["refund"],
    },
    {
        "id": "nw-2026-11-19-0003",
        "start": "2026-11-19T09:04:03Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Hannah Becker", "phone": "+15555550103", "voice": "en-gb-x-rp+f2", "speed": 155},
        "ended_by": "USER", "tags": ["orders", "address-change", "nightly"], "label": "", "custom_metrics": [],
        "metadata": {"queue": "orders", "customer_tier": "standard"},
        "sidecar": None,
        "turns": [
            A("Hi, you've reached Northwind Support. I'm Nora."),
            U("I need to change the address on an order I placed this morning."),
            A("Sure. What's the new address?"),
            U("42 Elm Street, apartment 3B, Springfield.", say="42 Elm Street, apartment 3 B, Springfield."),
            A("Done. Your order will now ship to 42 Elm Street, apartment 3B.",
              say="Done. Your order will now ship to 42 Elm Street, apartment 3 B."),
            U("Perfect, thanks."),
        ],
    },
    {
        "id": "nw-2026-11-19-0004",
        "start": "2026-11-19T09:15:00-05:00",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Robert Chen", "phone": "+15555550104", "voice": "en-us+m1", "speed": 150},
        "ended_by": "USER", "tags": ["appointments", "booking"], "label": "production", "custom_metrics": [],
        "metadata": {"queue": "appointments", "customer_tier": "standard"},
        "sidecar": "column",
        "turns": [
            A("Northwind Support, this is Nora. How may I help?"),
            U("I'd like to book a checkup with Doctor Lee next week."),
            A("Doctor Lee has Tuesday at 10 AM or Thursday at 2:30 PM. Which works better?",
              say="Doctor Lee has Tuesday at 10 A M, or Thursday at 2 30 P M. Which works better?"),
            U("Thursday afternoon, please."),
            A("You're booked for Thursday, November 26th at 2:30 PM with Doctor Lee.",
              say="You're booked for Thursday, November 26th, at 2 30 P M with Doctor Lee."),
            U("Great, see you then."),
        ],
        "tool_calls": [
            {"name": "check_availability", "description": "List a provider's open appointment slots",
             "at": "u1.end+180", "parameters": {"provider": "Dr. Lee", "week_of": "2026-11-23"},
             "output": {"slots": ["2026-11-24T10:00:00-05:00", "2026-11-26T14:30:00-05:00"]}},
            {"name": "book_appointment", "description": "Book an appointment slot for the patient",
             "at": "u3.end+200", "parameters": {"provider": "Dr. Lee", "start": "2026-11-26T14:30:00-05:00",
                                                "patient_phone": "+15555550104", "visit_type": "checkup"},
             "output": {"appointment_id": "APT-77120", "confirmed": True}},
        ],
        "events": [
            {"title": "Appointment booked", "description": "APT-77120, Dr. Lee, 2026-11-26 14:30",
             "start": "u3.end+200", "end": "u4.end", "tags": ["booking"]},
        ],
        "sidecar_metadata": {"appointment_id": "APT-77120", "provider": "Dr. Lee"},
        "sidecar_tags": ["booking"],
    },
    {
        "id": "nw-2026-11-19-0005",
        "start": "2026-11-19T10:26:52Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Aisha Rahman", "phone": "+15555550105", "voice": "en-gb+f3", "speed": 162},
        "ended_by": "USER", "tags": ["appointments", "reschedule", "nightly"], "label": "production",
        "custom_metrics": [],
        "metadata": {"queue": "appointments", "customer_tier": "gold"},
        "sidecar": "column",
        "turns": [
            A("Northwind Support, Nora speaking."),
            U("I need to move my Friday appointment. Something came up."),
            A("No problem. What's your date of birth?"),
            U("March 3rd, 1984."),
            A("Thanks, let me pull that up.", filler=True),
            A("I see your Friday 9 AM visit. The next opening is Monday at 11 AM. Does that work?",
              say="I see your Friday 9 A M visit. The next opening is Monday at 11 A M. Does that work?"),
            U("Yes, Monday is fine."),
            A("Done. You're moved to Monday, November 23rd, at 11 AM.",
              say="Done. You're moved to Monday, November 23rd, at 11 A M."),
        ],
        "tool_calls": [
            {"name": "verify_patient", "description": "Verify the caller by phone number and date of birth",
             "at": "u3.end+120", "parameters": {"phone": "+15555550105", "date_of_birth": "1984-03-03"},
             "output": {"verified": True, "patient_id": "P-55821"}},
            {"name": "lookup_appointment", "description": "Find the patient's upcoming appointments",
             "at": "u4.start+200", "parameters": {"patient_id": "P-55821"},
             "output": {"appointments": [{"appointment_id": "APT-76218", "start": "2026-11-20T09:00:00-05:00",
                                          "provider": "Dr. Patel"}]}},
            {"name": "reschedule_appointment", "description": "Move an appointment to a new slot",
             "at": "u6.end+180", "parameters": {"appointment_id": "APT-76218",
                                                "new_start": "2026-11-23T11:00:00-05:00"},
             "output": {"appointment_id": "APT-76218", "start": "2026-11-23T11:00:00-05:00", "status": "confirmed"}},
        ],
        "events": [
            {"title": "Customer verified", "description": "Patient verified by date of birth",
             "start": "u3.end+120", "end": "u3.end+120", "tags": ["verification"]},
            {"title": "Hold", "description": "Agent searched for the appointment",
             "start": "u4.start", "end": "u5.start", "tags": ["hold"]},
        ],
        "sidecar_metadata": {"appointment_id": "APT-76218", "patient_id": "P-55821"},
        "sidecar_tags": ["reschedule"],
    },
    {
        "id": "nw-2026-11-19-0006",
        "start": "2026-11-19T11:02:37Z",
        "direction": "INBOUND", "interface": "WEB",
        "customer": {"name": "Sam Reyes", "phone": "", "voice": "en-us+m4", "speed": 170},
        "ended_by": "USER", "tags": ["accounts", "password-reset"], "label": "production", "custom_metrics": [],
        "metadata": {"queue": "accounts", "customer_tier": "silver"},
        "sidecar": "column",
        "turns": [
            A("Hi, I'm Nora from Northwind Support. How can I help?"),
            U("I can't log in. I think I forgot my password."),
            A("I can send you a reset link. What's the email on the account?"),
            U("It's sam.reyes@example.com.", say="It's sam dot reyes at example dot com."),
            A("I've sent a reset link to that address. It expires in 30 minutes."),
            U("Got it, it just came in. Thanks."),
        ],
        "tool_calls": [
            {"name": "reset_password", "description": "Email a one-time password reset link",
             "at": "u3.end+250", "parameters": {"email": "sam.reyes@example.com", "channel": "email"},
             "output": {"reset_link_sent": True, "expires_in_minutes": 30}},
        ],
        "events": [
            {"title": "Password reset link sent", "start": "u3.end+250", "end": "u4.end", "tags": ["security"]},
        ],
        "sidecar_metadata": {"account_email": "sam.reyes@example.com"},
        "sidecar_tags": ["self-service"],
    },
    {
        "id": "nw-2026-11-19-0007",
        "start": "2026-11-19T12:48:09Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Margaret Hughes", "phone": "+15555550107", "voice": "en-gb-scotland+f4", "speed": 168},
        "ended_by": "USER", "tags": ["orders", "complaint", "nightly"], "label": "production", "custom_metrics": [],
        "metadata": {"queue": "orders", "customer_tier": "gold"},
        "sidecar": "column",
        "turns": [
            A("Northwind Support, this is Nora. How can I help?"),
            U("My package came crushed and the lamp inside is broken."),
            A("I'm so sorry. What's the order number?"),
            U("NW-47730.", say="N W, 4 7 7 3 0."),
            A("I've opened a damage claim, and a free replacement ships today."),
            U("Do I send the broken one back?"),
            A("No, you can keep it. You'll get a tracking email tonight."),
            U("Okay, that works."),
        ],
        "tool_calls": [
            {"name": "lookup_order", "description": "Fetch the status and items of an order",
             "at": "u3.end+140", "parameters": {"order_id": "NW-47730"},
             "output": {"order_id": "NW-47730", "status": "delivered", "items": [{"sku": "LMP-310", "name": "Arc floor lamp"}]}},
            {"name": "create_ticket", "description": "Open a support ticket",
             "at": "u3.end+420", "parameters": {"order_id": "NW-47730", "type": "damaged_in_transit", "priority": "high"},
             "output": {"ticket_id": "TCK-90317"}},
            {"name": "create_replacement_order", "description": "Ship a free replacement for a damaged item",
             "at": "u3.end+610", "parameters": {"order_id": "NW-47730", "sku": "LMP-310", "return_required": False},
             "output": {"order_id": "NW-52018", "ships_on": "2026-11-19"}},
        ],
        "events": [
            {"title": "Complaint logged", "description": "Damaged delivery, ticket TCK-90317",
             "start": "u3.end+420", "end": "u4.end", "tags": ["complaint", "damage"]},
        ],
        "sidecar_metadata": {"order_id": "NW-47730", "ticket_id": "TCK-90317", "replacement_order_id": "NW-52018"},
        "sidecar_tags": ["damaged-delivery"],
    },
    {
        "id": "nw-2026-11-19-0008",
        "start": "2026-11-19T13:30:55Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Lena Novak", "phone": "+15555550108", "voice": "en-us+f4", "speed": 160},
        "ended_by": "USER", "tags": ["billing", "subscription", "nightly"], "label": "", "custom_metrics": [],
        "metadata": {"queue": "billing", "customer_tier": "standard"},
        "sidecar": "split",
        "turns": [
            A("Northwind Support, this is Nora."),
            U("I want to cancel my monthly coffee subscription."),
            A("I can do that. Could you confirm your ZIP code?"),
            U("94110.", say="9 4 1 1 0."),
            A("One moment while I check that.", filler=True),
            A("Your subscription is cancelled. The last charge is November 30th."),
            U("Great, thanks."),
        ],
        "tool_calls": [
            {"name": "lookup_subscription", "description": "Find active subscriptions by phone number and ZIP code",
             "at": "u4.start+180", "parameters": {"phone": "+15555550108", "zip": "94110"},
             "output": {"subscription_id": "SUB-3391", "plan": "coffee-monthly", "next_charge": "2026-11-30"}},
            {"name": "cancel_subscription", "description": "Cancel a subscription at the end of the paid period",
             "at": "u4.end+420", "parameters": {"subscription_id": "SUB-3391", "effective": "end_of_period"},
             "output": {"status": "cancelled", "last_charge": "2026-11-30"}},
        ],
        "events": [
            {"title": "Customer verified", "description": "Verified by phone number and ZIP code",
             "start": "u4.start+180", "end": "u4.start+180", "tags": ["verification"]},
            {"title": "Hold", "start": "u4.start", "end": "u5.start", "tags": ["hold"]},
            {"title": "Subscription cancelled", "start": "u4.end+420", "end": "u5.end", "tags": ["churn"]},
        ],
        "sidecar_metadata": {"subscription_id": "SUB-3391"},
        "sidecar_tags": ["cancellation"],
    },
    {
        "id": "nw-2026-11-19-0009",
        "start": "2026-11-19T14:03:22Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Carlos Mendoza", "phone": "+15555550109", "voice": "en-us+m7", "speed": 172},
        "ended_by": "AGENT", "tags": ["billing", "escalation", "nightly"], "label": "production",
        "custom_metrics": [METRIC_ESCALATION, METRIC_REFUND_POLICY],
        "metadata": {"queue": "billing", "customer_tier": "gold"},
        "sidecar": "column",
        "turns": [
            A("Northwind Support. I'm Nora, a virtual assistant. How can I help?"),
            U("I was charged twice for one order, and I want a real person."),
            A("I understand. I'll connect you with a billing specialist."),
            U("Thank you."),
            A("Please hold while I transfer you. The wait is about two minutes."),
        ],
        "tool_calls": [
            {"name": "create_ticket", "description": "Open a support ticket with a summary for the human agent",
             "at": "u2.start+150", "parameters": {"type": "duplicate_charge", "priority": "normal",
                                                  "summary": "Customer reports being charged twice for one order"},
             "output": {"ticket_id": "TCK-90355"}},
            {"name": "transfer_to_human", "description": "Warm-transfer the call to a human queue",
             "at": "u4.end+100", "parameters": {"queue": "billing-specialists", "reason": "customer_request",
                                                "ticket_id": "TCK-90355"},
             "output": {"transfer_id": "TR-5521", "estimated_wait_seconds": 120}},
        ],
        "events": [
            {"title": "Escalation requested", "description": "Customer asked for a human",
             "start": "u1.start", "end": "u1.end", "tags": ["escalation"]},
            {"title": "Escalated to human", "description": "Transferred to billing specialists",
             "start": "u4.end+100", "end": "end", "tags": ["escalation", "transfer"]},
        ],
        "sidecar_metadata": {"ticket_id": "TCK-90355", "transfer_queue": "billing-specialists"},
        "sidecar_tags": ["human-handoff"],
    },
    {
        "id": "nw-2026-11-19-0010",
        "start": "2026-11-19T10:41:37-05:00",
        "direction": "OUTBOUND", "interface": "PHONE",
        "customer": {"name": "David Kim", "phone": "+15555550110", "voice": "en-us+m2", "speed": 150},
        "ended_by": "AGENT", "tags": ["orders", "delivery", "outbound"], "label": "production", "custom_metrics": [],
        "metadata": {"queue": "orders", "customer_tier": "silver"},
        "sidecar": "column",
        "turns": [
            U("Hello?"),
            A("Hi, this is Nora from Northwind Support. Is this David Kim?"),
            U("Yes, this is David."),
            A("Your sofa arrives tomorrow. Is 8 to noon okay?"),
            U("That's fine. Someone will be home."),
            A("Perfect, you're confirmed. Have a great day."),
        ],
        "tool_calls": [
            {"name": "confirm_delivery_window", "description": "Confirm a delivery time window with the carrier",
             "at": "u4.end+200", "parameters": {"order_id": "NW-49008", "date": "2026-11-20", "window": "08:00-12:00"},
             "output": {"confirmed": True, "route_id": "RT-2231"}},
        ],
        "events": [
            {"title": "Customer verified", "description": "Customer confirmed their name",
             "start": "u2.end", "end": "u2.end", "tags": ["verification"]},
        ],
        "sidecar_metadata": {"order_id": "NW-49008", "campaign": "delivery-confirmation"},
        "sidecar_tags": ["outbound-campaign"],
    },
    {
        "id": "nw-2026-11-19-0011",
        "start": "2026-11-19T15:12:04Z",
        "direction": "OUTBOUND", "interface": "PHONE",
        "customer": {"name": "Grace Whitfield", "phone": "+15555550111", "voice": "en-gb+f2", "speed": 155},
        "ended_by": "AGENT", "tags": ["appointments", "reminder", "outbound"], "label": "production",
        "custom_metrics": [],
        "metadata": {"queue": "appointments", "customer_tier": "standard"},
        "sidecar": "column",
        "turns": [
            U("Hello, who's this?"),
            A("Hi, it's Nora from the Northwind clinic, confirming your visit tomorrow at 9 AM.",
              say="Hi, it's Nora from the Northwind clinic, confirming your visit tomorrow at 9 A M."),
            U("Oh, right. Can we make it later in the day?"),
            A("Sure, I have 3:15 PM available. Should I move it?", say="Sure, I have 3 15 P M available. Should I move it?"),
            U("Yes, please."),
            A("Done, you're now booked for tomorrow at 3:15 PM. Goodbye!",
              say="Done, you're now booked for tomorrow at 3 15 P M. Goodbye!"),
        ],
        "tool_calls": [
            {"name": "find_slots", "description": "Find open slots for the same provider on a given day",
             "at": "u2.end+160", "parameters": {"appointment_id": "APT-76990", "date": "2026-11-20", "after": "12:00"},
             "output": {"slots": ["2026-11-20T15:15:00-05:00"]}},
            {"name": "reschedule_appointment", "description": "Move an appointment to a new slot",
             "at": "u4.end+190", "parameters": {"appointment_id": "APT-76990", "new_start": "2026-11-20T15:15:00-05:00"},
             "output": {"appointment_id": "APT-76990", "start": "2026-11-20T15:15:00-05:00", "status": "confirmed"}},
        ],
        "events": [
            {"title": "Appointment rescheduled", "description": "09:00 moved to 15:15 on 2026-11-20",
             "start": "u4.end+190", "end": "u5.end", "tags": ["reschedule"]},
        ],
        "sidecar_metadata": {"appointment_id": "APT-76990", "campaign": "appointment-reminder"},
        "sidecar_tags": ["outbound-campaign"],
    },
    {
        "id": "nw-2026-11-19-0012",
        "start": "2026-11-19T15:40:18Z",
        "direction": "INBOUND", "interface": "WEB",
        "customer": {"name": "Tom Fischer", "phone": "", "voice": "en-gb+m3", "speed": 165},
        "ended_by": "USER", "tags": ["orders", "backorder"], "label": "", "custom_metrics": [],
        "metadata": {"queue": "orders", "customer_tier": "standard"},
        "sidecar": None,
        "turns": [
            A("Hi, I'm Nora from Northwind Support."),
            U("My order NW-50211 still says processing after five days.",
              say="My order, N W 5 0 2 1 1, still says processing after five days."),
            A("Let me look into that for you.", filler=True),
            A("One item is back-ordered until Monday. Shall I ship the rest now?"),
            U("Yes, please ship what you have."),
            A("Done. They ship today, with a tracking email."),
            U("Thanks."),
        ],
    },
    {
        "id": "nw-2026-11-19-0013",
        "start": "2026-11-19T16:05:49Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Priya Patel", "phone": "+15555550113", "voice": "en-us+f2", "speed": 165},
        "ended_by": "AGENT", "tags": ["orders", "exchange", "nightly"], "label": "production", "custom_metrics": [],
        "metadata": {"queue": "orders", "customer_tier": "silver"},
        "sidecar": None,
        "turns": [
            A("Northwind Support, this is Nora. How can I help?"),
            U("My jacket is too small. Can I exchange it for a large?"),
            A("Of course. I'll email a free return label and hold a large for you."),
            U("Do I have to pay for shipping?"),
            A("No, exchanges are free. The large ships once we scan your return."),
            U("Great, thanks."),
            A("Happy to help. Bye now."),
        ],
    },
    {
        "id": "nw-2026-11-19-0014",
        "start": "2026-11-19T17:22:30Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Walter Brooks, Jr.", "phone": "+15555550114", "voice": "en-gb-x-rp", "speed": 145},
        "ended_by": "USER", "tags": ["pharmacy", "refill", "nightly"], "label": "production",
        "custom_metrics": [METRIC_HIPAA_VERIFY],
        "metadata": {"queue": "pharmacy", "customer_tier": "gold"},
        "sidecar": None,
        "turns": [
            A("Northwind Support, this is Nora. How can I help?"),
            U("I need a refill of my blood pressure pills."),
            A("Sure. What's your date of birth?"),
            U("July 14th, 1962."),
            A("One moment while I check that.", filler=True),
            A("Found it. Your refill is ready. Shall I ship it, or will you pick it up?"),
            U("Shipping, please."),
            A("Done. It arrives in two days."),
        ],
    },
    {
        "id": "nw-2026-11-19-0015",
        "start": "2026-11-19T18:47:13Z",
        "direction": "INBOUND", "interface": "PHONE",
        "customer": {"name": "Olivia Grant", "phone": "+15555550115", "voice": "en-us+f5", "speed": 175},
        "ended_by": "USER", "tags": ["appointments", "cancellation"], "label": "", "custom_metrics": [],
        "metadata": {"queue": "appointments", "customer_tier": "standard"},
        "sidecar": None,
        "turns": [
            A("Northwind Support, this is Nora. How can I help today?"),
            U("I need to cancel my dental cleaning on Wednesday."),
            A("Okay, your Wednesday visit is cancelled. Want to rebook?"),
            U("Not right now, thanks. Bye."),
        ],
    },
]


# --------------------------------------------------------------------------------------------------
# Audio
# --------------------------------------------------------------------------------------------------
def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def synthesize(text, voice, speed, out_path, work):
    raw = work / "raw.wav"
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text])
    # -D: no dither (keeps it deterministic and the silence truly silent); output 16 kHz 16-bit mono.
    run(["sox", "-D", str(raw), "-r", str(RATE), "-b", "16", "-c", "1", "-e", "signed-integer",
         str(out_path)] + SOX_TRIM)
    samples = int(run(["soxi", "-s", str(out_path)]).strip())
    with wave.open(str(out_path), "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        assert w.getnframes() == samples, (out_path, w.getnframes(), samples)
        pcm = array.array("h")
        pcm.frombytes(w.readframes(samples))
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm


def choose_gap(rng, prev, cur):
    if prev["speaker"] == "USER" and cur["speaker"] == "AGENT":
        return rng.randint(420, 1500)          # agent response latency
    if prev["speaker"] == "AGENT" and prev["filler"]:
        return rng.randint(1100, 1500)         # back from the lookup after a filler
    if prev["speaker"] == "AGENT" and cur["speaker"] == "USER":
        return rng.randint(300, 1000)          # customer response
    return rng.randint(300, 600)


def build_call(call, work):
    rng = random.Random(call["id"])
    clips = []
    pos_ms = rng.randint(300, 600)
    prev = None
    for i, t in enumerate(call["turns"]):
        if prev is not None:
            pos_ms += t["gap"] if t["gap"] is not None else choose_gap(rng, prev, t)
        voice = AGENT_VOICE if t["speaker"] == "AGENT" else call["customer"]
        pcm = synthesize(t["say"] or t["text"], voice["voice"], voice["speed"], work / f"u{i}.wav", work)
        dur_ms = round(len(pcm) / SAMPLES_PER_MS)
        clips.append({"turn": t, "pcm": pcm, "start": pos_ms, "end": pos_ms + dur_ms})
        pos_ms += dur_ms
        prev = t
    total = max(c["start"] * SAMPLES_PER_MS + len(c["pcm"]) for c in clips) + TRAILING_MS * SAMPLES_PER_MS
    left = array.array("h", bytes(2 * total))
    right = array.array("h", bytes(2 * total))
    for c in clips:
        ch = left if c["turn"]["speaker"] == "AGENT" else right
        s = c["start"] * SAMPLES_PER_MS
        ch[s:s + len(c["pcm"])] = c["pcm"]
    stereo = array.array("h", bytes(4 * total))
    stereo[0::2] = left
    stereo[1::2] = right
    if sys.byteorder == "big":
        stereo.byteswap()
    return clips, stereo, total


def write_wav(path, stereo):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(stereo.tobytes())


# --------------------------------------------------------------------------------------------------
# JSON builders
# --------------------------------------------------------------------------------------------------
def dump_json(path, obj):
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def transcript_entries(clips):
    out = []
    for c in clips:
        e = {"start_offset_ms": c["start"], "end_offset_ms": c["end"], "speaker": c["turn"]["speaker"],
             "utterance": c["turn"]["text"]}
        if c["turn"]["filler"]:
            e["filler_utterance"] = True
        out.append(e)
    return out


ANCHOR = re.compile(r"^u(\d+)\.(start|end)([+-]\d+)?$")


def resolve(anchor, clips, duration_ms):
    if anchor == "end":
        return duration_ms
    m = ANCHOR.match(anchor)
    if not m:
        raise ValueError(f"bad anchor {anchor!r}")
    c = clips[int(m.group(1))]
    value = c[m.group(2)] + int(m.group(3) or 0)
    if not 0 <= value <= duration_ms:
        raise ValueError(f"anchor {anchor!r} -> {value} outside the call (0..{duration_ms})")
    return value


def sidecar_for(call, clips, duration_ms):
    tools = []
    for tc in call["tool_calls"]:
        tools.append({"name": tc["name"], "description": tc["description"],
                      "start_offset_ms": resolve(tc["at"], clips, duration_ms),
                      "parameters": tc["parameters"], "output": tc["output"]})
    events = []
    for ev in call["events"]:
        e = {"title": ev["title"]}
        if ev.get("description"):
            e["description"] = ev["description"]
        e["start_offset_ms"] = resolve(ev["start"], clips, duration_ms)
        e["end_offset_ms"] = resolve(ev["end"], clips, duration_ms)
        e["tags"] = ev["tags"]
        events.append(e)
    tools.sort(key=lambda t: t["start_offset_ms"])
    events.sort(key=lambda e: e["start_offset_ms"])
    return {"tool_calls": tools, "events": events, "metadata": call.get("sidecar_metadata", {}),
            "tags": call.get("sidecar_tags", [])}


# --------------------------------------------------------------------------------------------------
# Manifests
# --------------------------------------------------------------------------------------------------
def manifest_row(call, call_id=None):
    sc = f"../sidecars/{call['id']}.json" if call["sidecar"] else ""
    return {
        "call_id": call["id"] if call_id is None else call_id,
        "agent_id": AGENT_ID,
        "start_time_utc": call["start"],
        "recording": f"../recordings/{call['id']}.wav",
        "transcript": f"../transcripts/{call['id']}.json",
        "agent_name": AGENT_NAME,
        "agent_phone": AGENT_PHONE,
        "customer_name": call["customer"]["name"],
        "customer_phone": call["customer"]["phone"],
        "agent_spoke_first": "true" if call["turns"][0]["speaker"] == "AGENT" else "false",
        "call_direction": call["direction"],
        "interface": call["interface"],
        "tags": ";".join(call["tags"]),
        "tool_calls": sc if call["sidecar"] == "split" else "",
        "events": sc if call["sidecar"] == "split" else "",
        "sidecar": sc if call["sidecar"] == "column" else "",
        "custom_metrics": ";".join(call["custom_metrics"]),
        "label": call["label"],
        "conversation_ended_by": call["ended_by"],
        "multichannel": "true",
        "metadata.queue": call["metadata"]["queue"],
        "metadata.customer_tier": call["metadata"]["customer_tier"],
    }


def write_csv(path, rows, columns=MANIFEST_COLUMNS):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for r in rows:
        assert set(r) == set(columns), set(r) ^ set(columns)
        assert not any("\n" in v or "\r" in v for v in r.values()), "one line per row keeps line numbers honest"
        w.writerow(r)
    path.write_text(buf.getvalue(), encoding="utf-8")


def long_presigned_url(total_len=2300):
    base = "https://recordings.example.com/northwind/nw-2026-11-19-0004.wav"
    h = lambda s: hashlib.sha256(s.encode()).hexdigest()
    token, i = "", 0
    while len(token) < 3000:
        token += h(f"token-{i}")
        i += 1
    head = (f"{base}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Credential=AKIAEXAMPLEEXAMPLE%2F20261119%2Fus-east-1%2Fs3%2Faws4_request"
            f"&X-Amz-Date=20261119T140000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host"
            f"&X-Amz-Signature={h('signature')}&X-Amz-Security-Token=")
    url = head + token[: total_len - len(head)]
    assert len(url) == total_len
    return url


def error_manifest(calls_by_id):
    """Returns (rows, notes): notes describe every row (good or bad) in file order."""
    c = calls_by_id
    rows, notes = [], []

    def good(call_key, new_id, **over):
        r = manifest_row(c[call_key], new_id)
        r.update(over)
        rows.append(r)
        notes.append({"good": True, "call_id": new_id, "based_on": call_key})

    def bad(call_key, new_id, field, problem, expect, **over):
        r = manifest_row(c[call_key], new_id)
        r.update(over)
        rows.append(r)
        notes.append({"good": False, "call_id": new_id, "based_on": call_key, "field": field,
                      "problem": problem, "expect": expect})

    good("nw-2026-11-19-0001", "nw-err-good-01")
    good("nw-2026-11-19-0003", "nw-err-good-02")
    bad("nw-2026-11-19-0015", "", "call_id", "`call_id` is empty",
        "REJECTED before any API call: `call_id` is required (the row has no source id to track it by).")
    bad("nw-2026-11-19-0012", "nw-err-bad-02", "start_time_utc", "`start_time_utc` is `19/11/2026 14:00` (not ISO-8601)",
        "REJECTED: `start_time_utc` is not an ISO-8601 date-time.", start_time_utc="19/11/2026 14:00")
    good("nw-2026-11-19-0004", "nw-err-good-03", custom_metrics=METRIC_HIPAA_VERIFY)
    bad("nw-2026-11-19-0002", "nw-err-bad-03", "start_time_utc",
        "`start_time_utc` is `2026-11-19T14:00:00`: no `Z` and no UTC offset",
        "REJECTED: `start_time_utc` must carry `Z` or an offset (a local time is ambiguous); calleval does not guess a zone.",
        start_time_utc="2026-11-19T14:00:00")
    bad("nw-2026-11-19-0011", "nw-err-bad-04", "call_direction", "`call_direction` is `SIDEWAYS`",
        "REJECTED: `call_direction` must be INBOUND or OUTBOUND (API enum, bluejay-api.md §1.1).",
        call_direction="SIDEWAYS")
    good("nw-2026-11-19-0006", "nw-err-good-04")
    bad("nw-2026-11-19-0007", "nw-err-bad-05", "transcript",
        "`transcript` points to `../transcripts/does-not-exist.json`, which does not exist",
        "REJECTED: transcript file not found (path resolved against the manifest's folder).",
        transcript="../transcripts/does-not-exist.json")
    bad("nw-2026-11-19-0009", "nw-err-bad-06", "custom_metrics", "`custom_metrics` is `not-a-uuid`",
        "REJECTED: every `custom_metrics` item must be a UUID (API: array of string, format uuid).",
        custom_metrics="not-a-uuid")
    good("nw-2026-11-19-0010", "nw-err-good-05")
    bad("nw-2026-11-19-0003", "nw-err-bad-07", "sidecar",
        "`sidecar` is `../sidecars/bad-three-participants.json`, whose `participants` array has 3 entries (AGENT, USER, USER)",
        "REJECTED: a call needs exactly 2 participants (API: `participants` minItems 2, maxItems 2).",
        sidecar="../sidecars/bad-three-participants.json")
    url = long_presigned_url()
    bad("nw-2026-11-19-0004", "nw-err-bad-08", "recording",
        f"`recording` is an https URL of {len(url)} characters",
        "REJECTED: recording URL longer than the API's 2083-character limit for `recording_url` (bluejay-api.md §1.1).",
        recording=url)
    good("nw-2026-11-19-0013", "nw-err-good-06")
    dup_line = 1 + 1 + next(i for i, n in enumerate(notes) if n["call_id"] == "nw-err-good-02")
    bad("nw-2026-11-19-0005", "nw-err-good-02", "call_id",
        f"`call_id` `nw-err-good-02` repeats the call_id of line {dup_line}",
        f"Not submitted: reported as a duplicate of line {dup_line} (the first occurrence is processed normally; "
        "a call_id is sent at most once).")
    bad("nw-2026-11-19-0014", "nw-err-bad-10", "transcript",
        "`transcript` is `../transcripts/bad-negative-offset.json`; its first entry has `start_offset_ms: -120`",
        "REJECTED: transcript entry 1 has a negative `start_offset_ms`. Offsets are milliseconds from call start and "
        "must be >= 0 (note: the API schema declares no minimum here, so this is calleval's own check).",
        transcript="../transcripts/bad-negative-offset.json")
    good("nw-2026-11-19-0008", "nw-err-good-07")
    return rows, notes


# --------------------------------------------------------------------------------------------------
# Webhook payloads
# --------------------------------------------------------------------------------------------------
def percentile(values, p):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def transcript_stats(entries, duration_ms):
    """Latency (s) = gap between the end of a USER utterance and the next AGENT utterance that starts
    after it. The filler-ignored variant skips filler utterances. Percentiles use linear interpolation."""
    lat, lat_nf = [], []
    for i, e in enumerate(entries):
        if e["speaker"] != "USER" or i + 1 >= len(entries) or entries[i + 1]["speaker"] != "AGENT":
            continue
        lat.append((entries[i + 1]["start_offset_ms"] - e["end_offset_ms"]) / 1000)
        nxt = next((x for x in entries[i + 1:] if x["speaker"] == "AGENT" and not x.get("filler_utterance")), None)
        if nxt is not None:
            lat_nf.append((nxt["start_offset_ms"] - e["end_offset_ms"]) / 1000)
    agent_ms = sum(e["end_offset_ms"] - e["start_offset_ms"] for e in entries if e["speaker"] == "AGENT")
    turns = sum(1 for i, e in enumerate(entries) if e["speaker"] == "AGENT"
                and (i == 0 or entries[i - 1]["speaker"] != "AGENT"))
    r = lambda x: None if x is None else round(x, 3)
    return {
        "agent_speak_percentage": round(100 * agent_ms / duration_ms, 1),
        "avg_agent_latency": r(sum(lat) / len(lat)),
        "latency": {"avg_agent_latency": r(sum(lat) / len(lat)), "max_agent_latency": r(max(lat)),
                    "p50_agent_latency": r(percentile(lat, 50)), "p90_agent_latency": r(percentile(lat, 90)),
                    "p95_agent_latency": r(percentile(lat, 95)), "p99_agent_latency": r(percentile(lat, 99))},
        "filler_ignored_latency": {"avg_filler_ignored_latency": r(sum(lat_nf) / len(lat_nf)),
                                   "p50_filler_ignored_latency": r(percentile(lat_nf, 50)),
                                   "p90_filler_ignored_latency": r(percentile(lat_nf, 90)),
                                   "p95_filler_ignored_latency": r(percentile(lat_nf, 95)),
                                   "p99_filler_ignored_latency": r(percentile(lat_nf, 99))},
        "num_turns": turns,
    }


def stable_uuid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://calleval.dev/sample-data/" + name))


def webhooks(call, entries, sidecar, duration_ms):
    call_uuid = stable_uuid(call["id"])
    stats = transcript_stats(entries, duration_ms)
    observability = {
        "type": "observability_call_evaluated",
        "id": call_uuid,
        "agent_id": AGENT_ID,
        "external_agent_id": None,
        "recording_url": f"https://storage.example.com/bluejay/call-recordings/{call_uuid}.wav",
        "start_time_utc": call["start"],
        "participants": [
            {"role": "AGENT", "spoke_first": True, "name": AGENT_NAME, "phone_number": AGENT_PHONE},
            {"role": "USER", "spoke_first": False, "name": call["customer"]["name"],
             "phone_number": call["customer"]["phone"]},
        ],
        "call_direction": call["direction"],
        "interface": call["interface"],
        "status": "COMPLETED",
        "created_at": "2026-11-20T02:14:07Z",
        "transcript_url": None,
        "tool_calls": sidecar["tool_calls"],
        "events": sidecar["events"],
        "tags": call["tags"] + sidecar["tags"],
        "duration_ms": duration_ms,
        "evaluations": [{
            "id": stable_uuid(call["id"] + "/evaluation/1"),
            "created_at": "2026-11-20T02:15:41Z",
            "hallucination": False,
            "hallucination_reasoning": "The delivery estimate the agent gave matches the lookup_order output.",
            "redundancy": False,
            "redundancy_reasoning": "No information was repeated without reason.",
            **stats,
            "call_summary": "The customer asked why order NW-48172 had not arrived. The agent looked it up and "
                            "said it shipped on Monday and is out for delivery, arriving by 6 PM today.",
            "custom_evals": None,
            "custom_evals_success_rate": None,
            "goal_success": True,
            "goal_reasoning": "The customer received the status and delivery estimate of the order.",
            "pronunciation_score": 0.93,
            "pronunciation_reasoning": "Times and weekdays were pronounced clearly; prosody is flat but intelligible.",
            "sentiment_label": "positive",
            "sentiment_score": 0.81,
            "sentiment_scores": {"positive": 0.81, "neutral": 0.16, "negative": 0.03},
            "custom_metrics": [{
                "name": "Order status resolved",
                "description": "Did the agent give the customer the current status and a delivery estimate "
                               "for the order they asked about?",
                "response_type": "pass_fail",
                "response_value": "pass",
                "reasoning": "The agent looked up NW-48172 and stated it is out for delivery with an estimate of 6 PM.",
                "min_value": None,
                "max_value": None,
                "category": "resolution",
                "tags": ["orders"],
                "scoring_guidance": "Pass only if both the status and an arrival estimate were stated.",
                "enum_options": None,
            }],
        }],
        "annotations": None,
        "metadata": {"calleval_source_id": call["id"], "queue": call["metadata"]["queue"],
                     "customer_tier": call["metadata"]["customer_tier"], **sidecar["metadata"]},
        "custom_metrics": None,
        "conversation_ended_by": call["ended_by"],
    }
    folder = stable_uuid("folder/northwind-support")
    outbound_started = {
        "type": "outbound_simulation_started",
        "agent_id": int(AGENT_ID),
        "simulation_id": 30425,
        "simulation_run_id": 227413,
        "digital_humans": [
            {"id": 4512, "name": "Impatient customer, late order", "phone_number": "+15555550191",
             "associated_simulation_result_ids": [716977]},
            {"id": 4513, "name": "Elderly patient rescheduling", "phone_number": "+15555550192",
             "associated_simulation_result_ids": [716978]},
            {"id": 4514, "name": "Customer demanding a human", "phone_number": "+15555550193",
             "associated_simulation_result_ids": [716979]},
        ],
    }
    ended = {
        "type": "simulation_ended",
        "id": 716977,
        "digital_human_id": 4512,
        "status": "CONVERSATION_ENDED",
        "simulation_run_id": 227413,
        "created_at": "2026-11-19T20:00:02Z",
        "start_time": "2026-11-19T20:00:09Z",
        "end_time": "2026-11-19T20:01:43Z",
        "duration": 94,
    }
    sim_tools = [
        {"name": "lookup_order", "description": "Fetch the status and tracking of an order by its order number",
         "start_offset_ms": 21480, "parameters": {"order_id": "NW-40001"},
         "output": {"order_id": "NW-40001", "status": "in_transit", "estimated_delivery": "2026-11-21"}},
    ]
    evaluated = {
        "type": "simulation_result_evaluated",
        "id": 716977,
        "digital_human_id": 4512,
        "status": "COMPLETED",
        "simulation_run_id": 227413,
        "simulation_id": 30425,
        "agent_id": int(AGENT_ID),
        "folder_id": folder,
        "result": None,
        "custom_metrics": None,
        "evaluations": [{
            "id": stable_uuid("simulation-result/716977/evaluation/1"),
            "created_at": "2026-11-19T20:03:26Z",
            "hallucination": False,
            "hallucination_reasoning": "All order details match the tool output.",
            "redundancy": True,
            "redundancy_reasoning": "The agent asked for the order number twice.",
            "agent_speak_percentage": 46.8,
            "avg_agent_latency": 1.21,
            "latency": {"avg_agent_latency": 1.21, "max_agent_latency": 2.64, "p50_agent_latency": 1.02,
                        "p90_agent_latency": 2.11, "p95_agent_latency": 2.38, "p99_agent_latency": 2.59},
            "filler_ignored_latency": {"avg_filler_ignored_latency": 1.47, "p50_filler_ignored_latency": 1.18,
                                       "p90_filler_ignored_latency": 2.52, "p95_filler_ignored_latency": 2.64,
                                       "p99_filler_ignored_latency": 2.64},
            "num_turns": 9,
            "call_summary": "Simulated impatient customer asked about a late order; the agent gave the tracking "
                            "status and a new delivery date.",
            "custom_evals": None,
            "custom_evals_success_rate": None,
            "goal_success": True,
            "goal_reasoning": "The customer got a delivery date and ended the call satisfied.",
            "pronunciation_score": 0.9,
            "pronunciation_reasoning": None,
            "sentiment_label": "neutral",
            "sentiment_score": 0.52,
            "sentiment_scores": {"positive": 0.31, "neutral": 0.52, "negative": 0.17},
            "custom_metrics": [{
                "name": "Tool call: lookup_order",
                "description": "The agent calls lookup_order with the order number the customer gave.",
                "response_type": "tool_call",
                "response_value": "pass",
                "reasoning": "lookup_order was called once with order_id NW-40001.",
                "min_value": None, "max_value": None, "category": "tools", "tags": ["orders"],
                "scoring_guidance": None, "enum_options": None,
            }],
        }],
        "created_at": "2026-11-19T20:00:02Z",
        "start_time": "2026-11-19T20:00:09Z",
        "end_time": "2026-11-19T20:01:43Z",
        "duration": 94,
        "latency": [0.84, 1.02, 0.97, 2.64, 1.18, 0.62],
        "events": [{"title": "Hold", "description": "Order lookup", "start_offset_ms": 21300,
                    "end_offset_ms": 24050, "tags": ["hold"]}],
        "tool_calls": sim_tools,
        "tags": ["simulation", "orders"],
        "metadata": {"scenario": "late-order", "prompt_label": "production"},
    }
    return {
        "observability_call_evaluated.json": observability,
        "simulation_result_evaluated.json": evaluated,
        "simulation_ended.json": ended,
        "outbound_simulation_started.json": outbound_started,
    }


# --------------------------------------------------------------------------------------------------
# READMEs
# --------------------------------------------------------------------------------------------------
def manifests_readme(notes):
    lines = [
        "# Manifests",
        "",
        "Generated by `../generate.sh`; do not edit by hand. Paths in both files are relative to this folder.",
        "Line numbers below count the header as line 1; no field contains a line break, so line N is record N-1.",
        "",
        "## calls.csv",
        "",
        "One row per sample call (all 15 are valid). Sidecars are referenced through the `sidecar` column, except",
        "`nw-2026-11-19-0008`, which puts the same sidecar path in both `tool_calls` and `events` (the file is an",
        "object holding both keys). `custom_metrics` is set on `nw-2026-11-19-0002` (1 UUID), `nw-2026-11-19-0009`",
        "(2 UUIDs) and `nw-2026-11-19-0014` (1 UUID). `nw-2026-11-19-0004` and `nw-2026-11-19-0010` use a `-05:00`",
        "offset; the others use `Z`.",
        "",
        "Each row also carries the sandbox's judgement controls (`metadata.sandbox_goal_success`,",
        "`metadata.sandbox_hallucination`, `metadata.sandbox_custom_metrics`; docs/sandbox.md): against the sandbox every",
        "call reaches its goal, none hallucinates, `Resolved on first contact` passes and `Politeness` scores 4-5. The real",
        "API ignores these keys (they are ordinary metadata there).",
        "",
        "## calls-night2.csv",
        "",
        "The next night (2026-11-20) of the same 15 conversations, under new call ids (`nw-2026-11-20-NNNN`, the same",
        "recordings, transcripts and sidecars), for `calleval compare` (docs/compare-and-alerts.md). Its sandbox controls",
        "make it a regression: calls " + ", ".join(f"`{n:04d}`" for n in sorted(NIGHT2_GOAL_MISSED)) + " miss their goal (goal success",
        "100 % -> 60 %), " + " and ".join(f"`{n:04d}`" for n in sorted(NIGHT2_HALLUCINATED)) + " hallucinate (0 % -> 13 %),",
        "`Resolved on first contact` fails where the goal was missed, and `Politeness` scores 3-5. Run it as the sample job",
        "with `run sample --sandbox --param source=../sample-data/manifests/calls-night2.csv`.",
        "",
        "## calls-with-errors.csv",
        "",
        "Good rows reuse the sample recordings, transcripts and sidecars under new call ids (`nw-err-good-NN`).",
        "Each bad row is a valid row with exactly one thing wrong; bad rows are numbered `nw-err-bad-NN` by kind",
        "(kind 01 has no call_id and kind 09 reuses a good row's id, so there is no `nw-err-bad-01`/`-09`).",
        "The expected outcome assumes calleval's local",
        "validation; none of the bad rows should ever reach the API, and the good rows must still be processed.",
        "",
        "| line | call_id | field | what is wrong | expected outcome |",
        "|---|---|---|---|---|",
    ]
    for i, n in enumerate(notes):
        if not n["good"]:
            cid = f"`{n['call_id']}`" if n["call_id"] else "(empty)"
            lines.append(f"| {i + 2} | {cid} | `{n['field']}` | {n['problem']} | {n['expect']} |")
    good = [f"{i + 2} (`{n['call_id']}`)" for i, n in enumerate(notes) if n["good"]]
    lines += [
        "",
        f"Good rows: lines {', '.join(good)}.",
        f"Totals: {len(notes)} data rows = {len(good)} good + {len(notes) - len(good)} bad. A run over this file should "
        f"report {len(good)} submitted and {len(notes) - len(good)} rejected/duplicate, and the counts must add up to "
        f"{len(notes)}.",
        "",
    ]
    return "\n".join(lines)


def verify_example(transcripts):
    cid = "nw-2026-11-19-0001"
    a, u = transcripts[cid][0], transcripts[cid][1]
    f = f"recordings/{cid}.wav"
    span = lambda e: f"trim {e['start_offset_ms'] / 1000:.3f} {(e['end_offset_ms'] - e['start_offset_ms']) / 1000:.3f}"
    return "\n".join([
        f"soxi {f}",
        f"# first AGENT utterance {a['start_offset_ms']}-{a['end_offset_ms']} ms: speech on the left, nothing on the right",
        f"sox {f} -n remix 1 {span(a)} stat    # RMS amplitude ~0.1",
        f"sox {f} -n remix 2 {span(a)} stat    # RMS amplitude 0",
        f"# first USER utterance {u['start_offset_ms']}-{u['end_offset_ms']} ms: the other way round",
        f"sox {f} -n remix 2 {span(u)} stat",
        f"sox {f} -n remix 1 {span(u)} stat",
    ])


def main_readme(summaries, versions, example):
    rows = "\n".join(
        f"| `{s['id']}` | {s['direction']} | {s['interface']} | {'agent' if s['agent_first'] else 'customer'} | "
        f"{s['utterances']} | {s['fillers']} | {s['duration_ms'] / 1000:.2f} s | {s['voice']} | {s['sidecar']} | {s['topic']} |"
        for s in summaries)
    total = sum(s["duration_ms"] for s in summaries) / 1000
    return f"""# sample-data — Northwind Support

A small, real dataset for calleval: {len(summaries)} synthetic calls of "Nora (Northwind AI)", the AI voice agent
of Northwind Support (an online store with a clinic and pharmacy), with recordings, Bluejay transcripts,
sidecars, CSV manifests and example webhook payloads. Everything here is produced by `generate.sh` from the
conversation definitions in `generate.py`; edit those and regenerate instead of editing files by hand.
All people, numbers, addresses and URLs are fictitious (`555-01xx` phone numbers, `example.com` domains).

```
manifests/calls.csv              one valid row per call (see manifests/README.md)
manifests/calls-night2.csv       the next night of the same calls, whose sandbox controls make a regression
manifests/calls-with-errors.csv  good rows mixed with deliberately bad rows, one fault each
manifests/README.md              line-by-line list of the bad rows and the expected rejections
recordings/<call_id>.wav         stereo, 16 kHz, 16-bit PCM; LEFT = AGENT, RIGHT = customer (USER)
transcripts/<call_id>.json       Bluejay transcript entries (bluejay-api.md §1.3)
transcripts/bad-negative-offset.json   a malformed transcript (first start_offset_ms is -120)
sidecars/<call_id>.json          tool_calls, events, metadata and tags for 10 of the calls
sidecars/bad-three-participants.json   a sidecar whose participants array has 3 entries
webhooks/*.json                  one example body per events-webhook type (bluejay-api.md §3.3, §3.5-3.7)
generate.sh, generate.py         the generator
```

## Calls

| call_id | direction | interface | first speaker | utterances | fillers | duration | customer voice | sidecar | topic |
|---|---|---|---|---|---|---|---|---|---|
{rows}

Total audio: {total:.1f} s. All calls start on 2026-11-19 (UTC). `agent_id` is `1234` everywhere.

## Audio

- Speech synthesised with {versions['espeak']}. Agent (Nora): voice `{AGENT_VOICE['voice']}` at
  {AGENT_VOICE['speed']} wpm. Customers: a different voice per call (British, Scottish, RP and American
  variants, 145-175 wpm), listed in the table.
- Each utterance is synthesised on its own, converted by {versions['sox']} to 16 kHz, 16-bit, mono, with
  leading and trailing silence trimmed (`silence 1 0.02 0.1%` at both ends), then mixed into the call:
  AGENT clips on the LEFT channel, customer clips on the RIGHT channel. The other channel is digital silence
  (all-zero samples) while one side speaks; nobody talks over anybody.
- Layout: first utterance 300-600 ms into the call; gaps drawn from a RNG seeded with the call id:
  agent response after the customer 420-1500 ms, customer response after the agent 300-1000 ms, and
  1100-1500 ms between a filler ("One moment while I check that.") and the agent's answer; 500 ms of
  silence after the last utterance. Files are plain RIFF/WAVE (`wave` module), no extra chunks.
- The WAVs use `multichannel: true` in the manifests.

## Transcripts and offsets

`transcripts/<call_id>.json` is a JSON array sorted by `start_offset_ms` of
`{{"start_offset_ms", "end_offset_ms", "speaker", "utterance"}}` plus `"filler_utterance": true` on filler
utterances (the key is absent otherwise). Offsets are integer milliseconds from the start of the WAV and are
exact, not estimated: every clip is placed at a whole millisecond (16 samples at 16 kHz), so
`start_offset_ms` is where the clip's first sample is, and `end_offset_ms = start + round(samples / 16)`
where `samples` is the trimmed clip's length measured with `soxi -s`. Because the clips are trimmed, the
offsets bracket the speech itself, so latencies computed from the transcript equal the silences in the audio.
`utterance` is the text as a transcript would write it (e.g. `NW-48172`, `$89.99`); a few clips were
synthesised from a spelled-out variant (`N W, 4 8 1 7 2`) so espeak reads them naturally.

The generator checks every call after writing it: RMS energy present on the speaker's channel inside every
utterance, zero on the other channel, WAV longer than the last `end_offset_ms`, all tool-call and event
offsets inside the call, every relative path in the manifests resolvable, total recordings < 25 MB.
By hand, e.g.:

```
{example}
```

## Sidecars

`sidecars/<call_id>.json` is `{{"tool_calls": [...], "events": [...], "metadata": {{...}}, "tags": [...]}}` with
tool calls and events in the shapes of bluejay-api.md §1.4 / §1.5. Their offsets are anchored to the
utterances (e.g. `lookup_order` 240 ms into the agent's filler, `issue_refund` just before the agent
announces the refund), so they line up with the audio. `bad-three-participants.json` also has a
`participants` array (3 entries) and is used only by `calls-with-errors.csv`.

## Webhooks

- `observability_call_evaluated.json`: the result for `nw-2026-11-19-0001` as it would come back. `id` is a
  made-up Bluejay call id (UUID); `metadata.calleval_source_id` carries the source call id. Tool calls,
  events, `duration_ms`, `agent_speak_percentage`, `num_turns` and the latency figures are computed from the
  sample files (latencies in seconds from the end of a customer utterance to the start of the next agent
  utterance; the filler-ignored variant skips fillers; percentiles by linear interpolation). The judged
  fields (hallucination, goal, sentiment, summary, the custom metric) are invented but plausible.
- `outbound_simulation_started.json`, `simulation_ended.json`, `simulation_result_evaluated.json`: one
  simulation run (id 227413) as it progresses; simulation result 716977 ends and is then evaluated.
  `duration` is given in seconds as in the vendor examples (its unit is ambiguous, see bluejay-api.md).
"""


# --------------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------------
def rms(pcm):
    return math.sqrt(sum(x * x for x in pcm) / len(pcm)) if pcm else 0.0


def check(root):
    problems = []
    for p in sorted(root.rglob("*.json")):
        try:
            json.loads(p.read_text(encoding="utf-8"))
        except ValueError as e:
            problems.append(f"{p}: invalid JSON: {e}")
    for manifest in ("calls.csv", "calls-night2.csv", "calls-with-errors.csv"):
        mpath = root / "manifests" / manifest
        with mpath.open(newline="", encoding="utf-8") as f:
            rd = csv.DictReader(f)
            if rd.fieldnames != (MANIFEST_COLUMNS if manifest == "calls-with-errors.csv" else NIGHT_COLUMNS):
                problems.append(f"{mpath}: header {rd.fieldnames}")
            for n, row in enumerate(rd, start=2):
                for col in ("recording", "transcript", "tool_calls", "events", "sidecar"):
                    v = row[col]
                    if not v or v.startswith("https://") or "does-not-exist" in v:
                        continue
                    if not (mpath.parent / v).is_file():
                        problems.append(f"{manifest}:{n}: {col} {v} does not resolve")
    with (root / "manifests" / "calls.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        cid = row["call_id"]
        wav_path = root / "manifests" / row["recording"]
        entries = json.loads((root / "manifests" / row["transcript"]).read_text())
        with wave.open(str(wav_path), "rb") as w:
            if (w.getnchannels(), w.getframerate(), w.getsampwidth()) != (2, RATE, 2):
                problems.append(f"{cid}: wrong WAV format")
            frames = w.getnframes()
            data = array.array("h")
            data.frombytes(w.readframes(frames))
        if sys.byteorder == "big":
            data.byteswap()
        left, right = data[0::2], data[1::2]
        dur_ms = frames * 1000 / RATE
        if not 10_000 <= dur_ms <= 40_000:
            problems.append(f"{cid}: duration {dur_ms} ms outside 10-40 s")
        if dur_ms < entries[-1]["end_offset_ms"]:
            problems.append(f"{cid}: audio shorter than the transcript")
        if (entries[0]["speaker"] == "AGENT") != (row["agent_spoke_first"] == "true"):
            problems.append(f"{cid}: agent_spoke_first does not match the transcript")
        if [e["start_offset_ms"] for e in entries] != sorted(e["start_offset_ms"] for e in entries):
            problems.append(f"{cid}: transcript not sorted")
        for e in entries:
            a, b = e["start_offset_ms"] * SAMPLES_PER_MS, e["end_offset_ms"] * SAMPLES_PER_MS
            on, off = (left, right) if e["speaker"] == "AGENT" else (right, left)
            if rms(on[a:b]) < 500 or any(off[a:b]):
                problems.append(f"{cid}: channel energy wrong at {e['start_offset_ms']} ms ({e['speaker']})")
        sc_path = row["sidecar"] or row["tool_calls"]
        if sc_path:
            sc = json.loads((root / "manifests" / sc_path).read_text())
            for item in sc["tool_calls"] + sc["events"]:
                for k in ("start_offset_ms", "end_offset_ms"):
                    if k in item and not 0 <= item[k] <= dur_ms:
                        problems.append(f"{cid}: {item.get('name') or item.get('title')} {k} outside the call")
    size = sum(p.stat().st_size for p in (root / "recordings").glob("*.wav"))
    if size >= MAX_RECORDINGS_BYTES:
        problems.append(f"recordings total {size} bytes >= 25 MB")
    for p in problems:
        print("CHECK FAILED:", p, file=sys.stderr)
    print(f"checks: {len(rows)} calls, recordings {size / 1e6:.1f} MB, {len(problems)} problem(s)")
    return not problems


# --------------------------------------------------------------------------------------------------
def generate(root):
    for sub in ("recordings", "sidecars", "webhooks"):
        d = root / sub
        if d.exists():
            shutil.rmtree(d)
        d.mkdir()
    # transcripts/formats/ (provider formats, made from these transcripts by their make_*.py scripts) and
    # manifests/calls-mixed-formats.csv and calls-broken-formats.csv are kept: only what this script writes is replaced
    for sub, pattern in (("transcripts", "*.json"), ("manifests", "calls*.csv"), ("manifests", "README.md")):
        d = root / sub
        d.mkdir(exist_ok=True)
        for f in d.glob(pattern):
            if f.name not in ("calls-mixed-formats.csv", "calls-broken-formats.csv"):
                f.unlink()
    espeak_version = re.search(r"\d+\.\d+(\.\d+)?", run(["espeak-ng", "--version"])).group(0)
    versions = {"espeak": f"eSpeak NG {espeak_version}",
                "sox": run(["sox", "--version"]).strip().split(":", 1)[-1].strip()}
    calls_by_id = {c["id"]: c for c in CALLS}
    summaries, webhook_files, transcripts = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="calleval-sample-") as tmp:
        work = Path(tmp)
        for call in CALLS:
            clips, stereo, total = build_call(call, work)
            duration_ms = total // SAMPLES_PER_MS
            write_wav(root / "recordings" / f"{call['id']}.wav", stereo)
            entries = transcript_entries(clips)
            transcripts[call["id"]] = entries
            dump_json(root / "transcripts" / f"{call['id']}.json", entries)
            sidecar = None
            if call["sidecar"]:
                sidecar = sidecar_for(call, clips, duration_ms)
                dump_json(root / "sidecars" / f"{call['id']}.json", sidecar)
            if call["id"] == "nw-2026-11-19-0001":
                webhook_files = webhooks(call, entries, sidecar, duration_ms)
            summaries.append({
                "id": call["id"], "direction": call["direction"], "interface": call["interface"],
                "agent_first": call["turns"][0]["speaker"] == "AGENT", "utterances": len(entries),
                "fillers": sum(1 for e in entries if e.get("filler_utterance")), "duration_ms": duration_ms,
                "voice": f"`{call['customer']['voice']}` {call['customer']['speed']} wpm",
                "sidecar": {"column": "yes", "split": "yes (tool_calls+events columns)", None: "-"}[call["sidecar"]],
                "topic": ", ".join(call["tags"][:2]),
            })
            print(f"{call['id']}: {len(entries)} utterances, {duration_ms / 1000:.2f} s", file=sys.stderr)

    # Malformed inputs used by calls-with-errors.csv.
    neg = copy.deepcopy(transcripts["nw-2026-11-19-0014"])
    neg[0]["start_offset_ms"] = -120
    dump_json(root / "transcripts" / "bad-negative-offset.json", neg)
    base = calls_by_id["nw-2026-11-19-0003"]
    dump_json(root / "sidecars" / "bad-three-participants.json", {
        "participants": [
            {"role": "AGENT", "name": AGENT_NAME, "phone_number": AGENT_PHONE},
            {"role": "USER", "name": base["customer"]["name"], "phone_number": base["customer"]["phone"]},
            {"role": "USER", "name": "Lukas Becker", "phone_number": base["customer"]["phone"]},
        ],
        "tool_calls": [{"name": "update_shipping_address",
                        "description": "Change the shipping address of an unshipped order",
                        "start_offset_ms": transcripts[base["id"]][3]["end_offset_ms"] + 200,
                        "parameters": {"order_id": "NW-51930", "address": "42 Elm Street, Apt 3B, Springfield"},
                        "output": {"updated": True}}],
        "events": [],
        "metadata": {"note": "speakerphone; the customer's husband joined the call"},
    })

    write_manifests(root)
    for name, body in webhook_files.items():
        dump_json(root / "webhooks" / name, body)
    (root / "README.md").write_text(main_readme(summaries, versions, verify_example(transcripts)), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only run the self-checks on the existing files")
    ap.add_argument("--manifests", action="store_true", help="only rewrite manifests/ (no audio tools needed), then check")
    args = ap.parse_args()
    if args.manifests:
        write_manifests(ROOT)
    elif not args.check:
        generate(ROOT)
        for script in sorted((ROOT / "transcripts" / "formats").glob("make_*.py")):
            subprocess.run([sys.executable, str(script)], check=True)  # provider formats follow the transcripts
    sys.exit(0 if check(ROOT) else 1)


if __name__ == "__main__":
    main()
