"""The knowledge base: schema, loader and the loaded view."""

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.loader import default_rules_dir, load_knowledge_base

__all__ = ["KnowledgeBase", "default_rules_dir", "load_knowledge_base"]
