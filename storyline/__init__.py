"""storyline: an evidence-linked dossier from a pile of news documents."""

from .corpus import Corpus
from .errors import StorylineError
from .records import Analysis, Document, Entity, Event, Mention, Quote, Rejection

__version__ = "0.1.0"
__all__ = ["Corpus", "StorylineError", "Analysis", "Document", "Entity", "Event", "Mention", "Quote", "Rejection", "__version__"]
